"""The roles a workshop participant can take part in."""

from __future__ import annotations

#: The kinds of organisation a participant speaks for, as stored ids (the pages translate them):
#: ``kommun`` (a municipality), ``region``, ``ideburen`` (an idéburen organisation, i.e. a
#: non-profit civil-society body), ``investerare`` (an investor), ``utforare`` (the provider that
#: would deliver the service), ``staten`` (the state or another public agency) and ``annan``
#: (anyone else). The order is the order in which roles are listed.
ROLES: tuple[str, ...] = ("kommun", "region", "ideburen", "investerare", "utforare", "staten", "annan")


def is_role(value: object) -> bool:
    """Whether ``value`` is one of the role ids in :data:`ROLES` (exact, lower-case ids only).

    >>> is_role("kommun"), is_role("Kommun"), is_role("idéburen"), is_role(None)
    (True, False, False, False)
    """
    return isinstance(value, str) and value in ROLES
