"""Drafts: what a user has changed but not saved, so that a reload or another page loses nothing.

A *workspace* is a random token carried in the page's URL (``?ws=…``); it stands for one browser
tab's line of work (and for anyone the link is shared with). For each workspace there is at most
one draft per kind and source: the scenario ``saved:12`` with its unsaved edits, the target
designs of a scenario, the questionnaire's answers (source empty).

Drafts live in their own table and never touch ``documents`` or ``document_versions``: saving a
draft is the caller's business (it becomes a version through the normal functions), and
discarding one leaves every saved version as it was. As everywhere in storage, the caller owns
the transaction. Drafts belong to the organisation the session acts for, as documents do: a
workspace link opened by someone of another organisation shows none of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine.storage.models import DraftRow, utc_now
from engine.storage.owners import organisation_of, owner_of

#: What a workspace token may look like (what :func:`secrets.token_urlsafe` makes, within limits).
WORKSPACE_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,64}")
DRAFT_KINDS: tuple[str, ...] = ("scenario", "targets", "answers")


@dataclass(frozen=True)
class Draft:
    payload: Any
    updated_at: datetime
    #: The saved version the edits started from, when there is one.
    based_on: int | None = None


def is_workspace(token: object) -> bool:
    """Whether ``token`` is a well-formed workspace token (anything from a URL is checked first).

    >>> is_workspace("a1B2c3D4e5"), is_workspace("short"), is_workspace("bad token!"), is_workspace(None)
    (True, False, False, False)
    """
    return isinstance(token, str) and WORKSPACE_PATTERN.fullmatch(token) is not None


def _where(session: Session, workspace: str, kind: str, source: str) -> Any:
    if not is_workspace(workspace) or kind not in DRAFT_KINDS or len(source) > 64:
        raise ValueError(f"not a draft key: {workspace!r} {kind!r} {source!r}")
    return ((DraftRow.organisation == organisation_of(session)) & (DraftRow.workspace == workspace)
            & (DraftRow.kind == kind) & (DraftRow.source == source))


def load_draft(session: Session, workspace: str, kind: str, source: str = "") -> Draft | None:
    """The draft of ``source`` in ``workspace``, or None when there are no unsaved edits (always
    None for someone without an organisation)."""
    if owner_of(session).organisation is None:
        return None
    row = session.scalars(select(DraftRow).where(_where(session, workspace, kind, source))).one_or_none()
    if row is None:
        return None
    moment = row.updated_at if row.updated_at.tzinfo else row.updated_at.replace(tzinfo=UTC)
    return Draft(row.payload, moment, row.based_on)


def keep_draft(session: Session, workspace: str, kind: str, source: str, payload: Any,
               based_on: int | None = None) -> None:
    """Store ``payload`` as the draft of ``source`` in ``workspace`` (replacing the previous one);
    ``based_on`` is the saved version the edits started from."""
    where = _where(session, workspace, kind, source)
    row = session.scalars(select(DraftRow).where(where).with_for_update()).one_or_none()
    if row is None:
        session.add(DraftRow(organisation=organisation_of(session), workspace=workspace, kind=kind, source=source,
                             payload=payload, updated_at=utc_now(), based_on=based_on))
    else:
        row.payload = payload
        row.updated_at = utc_now()
        row.based_on = based_on
    session.flush()


def discard_draft(session: Session, workspace: str, kind: str, source: str = "") -> None:
    """Forget the unsaved edits of ``source`` in ``workspace`` (nothing saved changes)."""
    session.execute(delete(DraftRow).where(_where(session, workspace, kind, source)))
