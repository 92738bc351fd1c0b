"""Who a signed-in person is to the app: their organisation, and whether they are its admin.

The identity provider (Microsoft Entra ID or any OpenID Connect provider) says who someone is, in
the claims of their ID token. The server's configuration (the ``[organisations]`` section of its
secrets, see the README) says which claim decides the organisation and what each of its values is
called. This module reads that configuration and applies it; it knows nothing of Streamlit.

>>> rules = parse_rules({"claim": "email_domain", "names": {"vasteras.se": "Västerås stad"},
...                      "admins": ["Anna@Vasteras.se"]})
>>> membership({"email": "anna@vasteras.se", "iss": "https://idp"}, rules)
Membership(organisation='Västerås stad', user='anna@vasteras.se', admin=True)
>>> membership({"email": "eve@example.com"}, rules)
Refusal(reason='no_organisation', value='example.com')

A claim may hold a list (Entra ID's ``groups``): the first value that names an organisation counts.

>>> groups = parse_rules({"claim": "groups", "names": {"9f1c": "Region Västmanland"}})
>>> membership({"sub": "u1", "groups": ["0000", "9f1c"]}, groups).organisation
'Region Västmanland'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: The claim that stands for "the domain of the e-mail address" (the default).
EMAIL_DOMAIN = "email_domain"
#: The longest organisation name (the storage column is 120 characters).
MAX_ORGANISATION = 120


class RulesError(ValueError):
    """The ``[organisations]`` configuration cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class Rules:
    """How claims map to organisations: ``claim`` names the deciding claim; ``names`` maps its
    values (compared without regard to case) to organisation names; ``admins`` are the e-mail
    addresses or subjects of the admins; ``issuers``, when not empty, are the only issuers accepted."""

    claim: str
    names: Mapping[str, str]
    admins: frozenset[str] = frozenset()
    issuers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Membership:
    organisation: str
    #: How the person is named in a version's history: their e-mail address, else their subject.
    user: str
    admin: bool


@dataclass(frozen=True)
class Refusal:
    """Why a signed-in person gets no access: ``unknown_issuer`` (their token comes from an issuer
    the server does not accept) or ``no_organisation`` (their claim names no organisation);
    ``value`` is what was found (shown to them, so they can tell their administrator)."""

    reason: str
    value: str


def parse_rules(section: Mapping[str, Any] | None) -> Rules:
    """The configuration section as rules (RulesError naming the problem).

    >>> parse_rules({"names": {"a.se": "A"}}).claim
    'email_domain'
    >>> parse_rules({"names": {}})
    Traceback (most recent call last):
    ...
    engine.access.RulesError: [organisations.names] maps no claim value to an organisation
    """
    section = dict(section or {})
    claim = section.get("claim", EMAIL_DOMAIN)
    if not isinstance(claim, str) or not claim.strip():
        raise RulesError("[organisations] claim must name a claim, e.g. \"email_domain\" or \"tid\"")
    names = section.get("names", {})
    if not isinstance(names, Mapping) or not names:
        raise RulesError("[organisations.names] maps no claim value to an organisation")
    mapped: dict[str, str] = {}
    for value, name in names.items():
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_ORGANISATION:
            raise RulesError(f"[organisations.names] {value!r}: an organisation name of 1-{MAX_ORGANISATION} "
                             "characters is needed")
        mapped[str(value).strip().casefold()] = name.strip()
    return Rules(claim.strip(), mapped, _folded(section, "admins"), _kept(section, "issuers"))


def membership(claims: Mapping[str, Any], rules: Rules) -> Membership | Refusal:
    """The organisation and role of the person with these ID-token claims, or why they have none."""
    issuer = str(claims.get("iss", ""))
    if rules.issuers and issuer not in rules.issuers:
        return Refusal("unknown_issuer", issuer)
    user = str(_address(claims) or claims.get("sub") or "")
    found = [str(value) for value in _claim_values(claims, rules.claim)]
    for value in found:
        organisation = rules.names.get(value.strip().casefold())
        if organisation:
            admin = bool({user.casefold(), str(claims.get("sub", "")).casefold()} & rules.admins)
            return Membership(organisation, user, admin)
    return Refusal("no_organisation", ", ".join(found)[:200])


def _claim_values(claims: Mapping[str, Any], claim: str) -> list[Any]:
    if claim == EMAIL_DOMAIN:
        email = _address(claims)
        return [email.rsplit("@", 1)[1]] if email else []
    value = claims.get(claim)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _address(claims: Mapping[str, Any]) -> str | None:
    """The person's e-mail address: ``email``, else Entra ID's ``preferred_username`` (the sign-in
    name, an address in most organisations) when it looks like one."""
    for key in ("email", "preferred_username"):
        value = claims.get(key)
        if isinstance(value, str) and "@" in value:
            return value
    return None


def _folded(section: Mapping[str, Any], key: str) -> frozenset[str]:
    return frozenset(value.casefold() for value in _kept(section, key))


def _kept(section: Mapping[str, Any], key: str) -> frozenset[str]:
    values = section.get(key, [])
    if isinstance(values, str) or not all(isinstance(value, str) for value in values):
        raise RulesError(f"[organisations] {key} must be a list of strings")
    return frozenset(value.strip() for value in values if value.strip())
