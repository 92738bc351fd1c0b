"""From ID-token claims to an organisation (engine/access.py): the configuration's rules, the
refusals, and properties that hold for any claims."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.access import Membership, Refusal, RulesError, membership, parse_rules

RULES = parse_rules({
    "claim": "email_domain",
    "names": {"vasteras.se": "Västerås stad", "Orebro.se": "Örebro kommun"},
    "admins": ["admin@vasteras.se"],
})


@pytest.mark.parametrize(("claims", "expected"), [
    ({"email": "anna@vasteras.se"}, Membership("Västerås stad", "anna@vasteras.se", False)),
    ({"email": "ADMIN@VASTERAS.SE"}, Membership("Västerås stad", "ADMIN@VASTERAS.SE", True)),
    ({"email": "olle@orebro.se", "sub": "x1"}, Membership("Örebro kommun", "olle@orebro.se", False)),
    ({"email": "eve@example.com"}, Refusal("no_organisation", "example.com")),
    ({"sub": "no-mail"}, Refusal("no_organisation", "")),
    ({"email": "not-an-address"}, Refusal("no_organisation", "")),
    # Entra ID sends the sign-in name when the optional e-mail claim is not configured.
    ({"preferred_username": "anna@vasteras.se", "sub": "x"}, Membership("Västerås stad", "anna@vasteras.se", False)),
    ({"email": "olle@orebro.se", "preferred_username": "anna@vasteras.se"},
     Membership("Örebro kommun", "olle@orebro.se", False)),
    # The domain is the part after the last @: "vasteras.se@evil.example" belongs to evil.example.
    ({"email": "vasteras.se@evil.example"}, Refusal("no_organisation", "evil.example")),
])
def test_the_e_mail_domain_decides(claims, expected):
    assert membership(claims, RULES) == expected


def test_a_tenant_claim_and_a_group_list_decide_when_configured():
    tenant = parse_rules({"claim": "tid", "names": {"72f988bf-86f1": "Region Västmanland"}})
    assert membership({"tid": "72F988BF-86F1", "sub": "s"}, tenant) == Membership("Region Västmanland", "s", False)
    groups = parse_rules({"claim": "groups", "names": {"g2": "Socialförvaltningen"}, "admins": ["s"]})
    assert membership({"groups": ["g1", "g2"], "sub": "s"}, groups) == Membership("Socialförvaltningen", "s", True)
    assert membership({"groups": [], "sub": "s"}, groups) == Refusal("no_organisation", "")


def test_only_the_configured_issuers_are_accepted():
    rules = parse_rules({"names": {"vasteras.se": "Västerås stad"}, "issuers": ["https://login.example/tenant"]})
    assert membership({"email": "a@vasteras.se", "iss": "https://login.example/tenant"}, rules).organisation == \
        "Västerås stad"
    assert membership({"email": "a@vasteras.se", "iss": "https://other.example"}, rules) == \
        Refusal("unknown_issuer", "https://other.example")
    assert membership({"email": "a@vasteras.se"}, rules) == Refusal("unknown_issuer", "")


@pytest.mark.parametrize(("section", "problem"), [
    (None, "maps no claim value"),
    ({"names": {}}, "maps no claim value"),
    ({"names": ["vasteras.se"]}, "maps no claim value"),
    ({"names": {"a.se": ""}}, "organisation name"),
    ({"names": {"a.se": "x" * 121}}, "organisation name"),
    ({"names": {"a.se": "A"}, "claim": ""}, "must name a claim"),
    ({"names": {"a.se": "A"}, "admins": "boss@a.se"}, "admins must be a list"),
    ({"names": {"a.se": "A"}, "issuers": [1]}, "issuers must be a list"),
])
def test_a_configuration_that_cannot_be_used_says_what_to_fix(section, problem):
    with pytest.raises(RulesError, match=problem):
        parse_rules(section)


claims_values = st.one_of(st.none(), st.text(max_size=30), st.lists(st.text(max_size=10), max_size=4),
                          st.integers())


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # timing is not the point
@given(st.dictionaries(st.sampled_from(["email", "sub", "iss", "tid", "groups", "name"]), claims_values))
def test_any_claims_give_a_configured_organisation_or_a_refusal(claims):
    for rules in (RULES, parse_rules({"claim": "groups", "names": {"g": "G"}})):
        found = membership(claims, rules)
        if isinstance(found, Membership):
            assert found.organisation in rules.names.values()
        else:
            assert found.reason in {"no_organisation", "unknown_issuer"}
            assert len(found.value) <= 200


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # timing is not the point
@given(st.emails())
def test_an_admin_is_one_only_in_their_own_organisation(email):
    rules = parse_rules({"names": {"vasteras.se": "Västerås stad"}, "admins": [email]})
    found = membership({"email": email}, rules)
    if email.rsplit("@", 1)[1].casefold() == "vasteras.se":
        assert found == Membership("Västerås stad", email, True)
    else:
        assert isinstance(found, Refusal)
