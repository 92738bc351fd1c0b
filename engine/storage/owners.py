"""Who acts in a session, and so which organisation's documents it sees.

Every saved document belongs to one organisation. The caller that opens a session says on whose
behalf it acts (:func:`act_as`), and every function of the document store then sees and changes
only that organisation's documents: a document of another organisation is, to it, a document that
does not exist (:class:`~engine.storage.repository.DocumentNotFound`), whether it was reached
through a list, a link or a typed id.

Without sign-in (the embedded mode) everyone acts as :data:`EMBEDDED`, the one organisation of a
server without accounts, so the app behaves as it always did. A participant of a workshop, who
joins by code without an account, acts as :data:`ANONYMOUS`: no organisation, no documents; what
they may see comes only through the workshop's code and secrets (engine/storage/workshops.py).

>>> act = Owner("Västerås stad", "anna@vasteras.se")
>>> act.may_read, ANONYMOUS.may_read, EMBEDDED.may_read
(True, False, True)
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Owner:
    """An organisation (``None``: none at all), the person acting for it, and whether they are
    one of its administrators (who alone may empty its trash)."""

    organisation: str | None
    user: str | None = None
    admin: bool = False

    @property
    def may_read(self) -> bool:
        return self.organisation is not None


#: The embedded mode: one organisation with no name, for one user or a trusted team.
EMBEDDED = Owner("")
#: Someone who has not signed in (a workshop participant): sees no documents.
ANONYMOUS = Owner(None)

_KEY = "utfallskompassen.owner"


class NotAllowed(PermissionError):
    """The acting owner may not do this (empty the trash without being an admin, publish or copy
    without an organisation). Nothing was written."""


def act_as(session: Session, owner: Owner) -> Session:
    """Let ``session`` act for ``owner`` from now on; returns the session for chaining."""
    session.info[_KEY] = owner
    return session


def owner_of(session: Session) -> Owner:
    """On whose behalf ``session`` acts (the embedded mode's organisation when nobody said)."""
    owner = session.info.get(_KEY, EMBEDDED)
    assert isinstance(owner, Owner)
    return owner


def organisation_of(session: Session) -> str:
    """The acting organisation, or :class:`NotAllowed` for someone with none."""
    owner = owner_of(session)
    if owner.organisation is None:
        raise NotAllowed("no organisation: sign in first")
    return owner.organisation
