"""The limit on wrong join codes for the participant page (pages/delta.py).

One :class:`~engine.workshop.attempts.AttemptLimiter` for the whole server process lives here, in
an imported module, so it outlives reruns, sessions and pages (a page script's own globals are made
again on every run). A failed look-up counts against two keys at once:

* the client, as :func:`~engine.workshop.attempts.client_key` names it: the address the request
  came from (the last X-Forwarded-For entry when ``UTFALLSKOMPASSEN_TRUST_FORWARDED=1`` says a
  reverse proxy of ours writes it), else this browser's device;
* this browser session, so that one tab is held back even where many people share an address.

While either key is used up, codes are not even looked up. A code that is found does not clear
earlier failures (see the attempts module: otherwise one known code would reset the count).
"""

from __future__ import annotations

import math
import os
import secrets
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from engine.workshop.attempts import AttemptLimiter, client_key

#: Failed look-ups allowed per key within the window.
LIMIT = 20
#: The sliding window, in seconds: ten minutes.
WINDOW_SECONDS = 600
#: Set to "1" when the app sits behind a reverse proxy that appends the client's address to
#: X-Forwarded-For; otherwise that header comes from the client and is ignored.
TRUST_FORWARDED_ENV = "UTFALLSKOMPASSEN_TRUST_FORWARDED"

#: The process's limiter. Looked up through the module at every call, so tests can swap it.
LIMITER = AttemptLimiter(limit=LIMIT, window_seconds=WINDOW_SECONDS)

_SESSION_TOKEN = "join_guard_session"

T = TypeVar("T")


class Blocked(Exception):
    """Too many failed look-ups: the client may try again in ``minutes`` minutes."""

    def __init__(self, minutes: int) -> None:
        super().__init__(minutes)
        self.minutes = minutes


def attempt_keys(fallback: str) -> tuple[str, ...]:
    """The keys this request's attempts count under: the client's and this browser session's.

    ``fallback`` names the client when the request carries no address (the device's hash).
    """
    ip = st.context.ip_address
    forwarded = st.context.headers.get("X-Forwarded-For")
    client = client_key(ip if isinstance(ip, str) else None,
                        forwarded if isinstance(forwarded, str) else None,
                        trust_forwarded=os.environ.get(TRUST_FORWARDED_ENV) == "1", fallback=fallback)
    session = st.session_state.setdefault(_SESSION_TOKEN, secrets.token_urlsafe(12))
    return tuple(dict.fromkeys((client, f"browser-session:{session}")))


def minutes_to_wait(seconds: float) -> int:
    """Whole minutes to tell the user, never fewer than one.

    >>> minutes_to_wait(0.5), minutes_to_wait(60), minutes_to_wait(61), minutes_to_wait(599)
    (1, 1, 2, 10)
    """
    return max(1, math.ceil(seconds / 60))


def guarded_lookup(keys: tuple[str, ...], lookup: Callable[[], T | None]) -> T | None:
    """Run ``lookup`` unless one of ``keys`` is blocked (then :class:`Blocked`, and ``lookup`` is
    not called); a result of None counts as one failure for every key.

    >>> limiter = AttemptLimiter(limit=2, window_seconds=60)
    >>> import ui.join_guard as guard
    >>> saved, guard.LIMITER = guard.LIMITER, limiter
    >>> [guard.guarded_lookup(("ip:192.0.2.1",), lambda: None) for _ in range(2)]
    [None, None]
    >>> guard.guarded_lookup(("ip:192.0.2.1",), lambda: 1 / 0)
    Traceback (most recent call last):
    ...
    ui.join_guard.Blocked: 1
    >>> guard.guarded_lookup(("ip:198.51.100.2",), lambda: "found")
    'found'
    >>> guard.LIMITER = saved
    """
    limiter = LIMITER
    held: list[str] = []
    failed = False
    try:
        for key in keys:
            if not limiter.acquire(key):
                raise Blocked(minutes_to_wait(max(limiter.retry_after(k) for k in keys)))
            held.append(key)
        found = lookup()
        failed = found is None
        return found
    finally:
        # Also when the look-up stopped the run (a database failure): that was not a wrong code.
        for key in held:
            limiter.release(key, failed=failed)
