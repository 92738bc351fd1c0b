"""A limit on failed join attempts per client, so join codes cannot be guessed at speed.

``AttemptLimiter`` counts failures per key in a sliding window, in this process only (one server
process serves every session of the app; a restart forgets the counts, which costs an attacker more
than it gives). ``client_key`` says which key a request counts under.

A success does not clear a key's failures: otherwise an attacker who knows one valid code could
slip it in between guesses and never reach the limit.

Typical use in a page::

    key = client_key(st.context.ip_address, st.context.headers.get("X-Forwarded-For"),
                     trust_forwarded=..., fallback=session_id)
    if not LIMITER.acquire(key):
        show "too many attempts, try again in LIMITER.retry_after(key) seconds"
    else:
        found = look the code up
        LIMITER.release(key, failed=found is None)

``blocked`` and ``record_failure`` do the same in two steps; between them another session of the
same client may also pass ``blocked``, so a client with many sessions at once can get one extra try
per parallel session. ``acquire`` / ``release`` hold a place for the attempt while it is checked and
so never let more than ``limit`` through.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

#: Longest key kept as given; longer ones (junk in a header) are cut, so they cannot eat memory.
_MAX_KEY_LENGTH = 100


class AttemptLimiter:
    """At most ``limit`` failures per key within any ``window_seconds``; thread-safe.

    Memory stays bounded: at most ``max_keys`` keys are remembered (the one whose last failure is
    oldest is forgotten first) and each keeps at most ``limit`` timestamps.

    >>> now = [0.0]
    >>> limiter = AttemptLimiter(limit=3, window_seconds=60, clock=lambda: now[0])
    >>> for _ in range(3):
    ...     limiter.record_failure("ip:192.0.2.7")
    ...     now[0] += 1
    >>> limiter.blocked("ip:192.0.2.7"), limiter.retry_after("ip:192.0.2.7")
    (True, 57.0)
    >>> limiter.blocked("ip:198.51.100.1")  # another client is not affected
    False
    >>> now[0] = 60.0  # the first failure has left the window
    >>> limiter.blocked("ip:192.0.2.7"), limiter.retry_after("ip:192.0.2.7")
    (False, 0.0)
    """

    def __init__(self, limit: int, window_seconds: float, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 10_000) -> None:
        if limit < 1 or window_seconds <= 0 or max_keys < 1:
            raise ValueError("limit, window_seconds and max_keys must be positive")
        self.limit = limit
        self.window_seconds = float(window_seconds)
        self.max_keys = max_keys
        self._clock = clock
        self._lock = threading.Lock()
        # Failure times per key, oldest first; the key failed longest ago comes first in the dict.
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        # Attempts handed out by acquire() and not yet released, per key.
        self._held: dict[str, int] = {}

    # -- reading

    def blocked(self, key: str) -> bool:
        """True if ``key`` has used up its failures for now (attempts being checked count too)."""
        key = _bounded(key)
        with self._lock:
            return self._used(key, self._clock()) >= self.limit

    def retry_after(self, key: str) -> float:
        """Seconds until ``key`` may try again: until its oldest failure leaves the window; 0 if not blocked."""
        key = _bounded(key)
        with self._lock:
            now = self._clock()
            if self._used(key, now) < self.limit:
                return 0.0
            times = self._failures.get(key)
            if not times:  # blocked by attempts still being checked only: they end soon
                return 1.0
            # The failure that has to leave the window before a place is free again.
            excess = self._used(key, now) - self.limit
            return max(0.0, times[min(excess, len(times) - 1)] + self.window_seconds - now)

    # -- counting

    def record_failure(self, key: str) -> None:
        """Count one failed attempt for ``key`` now."""
        key = _bounded(key)
        with self._lock:
            self._record(key, self._clock())

    def acquire(self, key: str) -> bool:
        """Hold a place for one attempt of ``key`` if it is not blocked; False if it is.

        Every True must be followed by one ``release``, whether the attempt failed or not.
        """
        key = _bounded(key)
        with self._lock:
            if self._used(key, self._clock()) >= self.limit:
                return False
            self._held[key] = self._held.get(key, 0) + 1
            return True

    def release(self, key: str, *, failed: bool) -> None:
        """End an attempt from ``acquire``; a failed one is counted like ``record_failure``."""
        key = _bounded(key)
        with self._lock:
            held = self._held.get(key, 0)
            if held <= 1:
                self._held.pop(key, None)
            else:
                self._held[key] = held - 1
            if failed:
                self._record(key, self._clock())

    def __len__(self) -> int:
        """Keys with failures remembered (expired ones may still be among them until next looked at)."""
        with self._lock:
            return len(self._failures)

    # -- inside the lock

    def _used(self, key: str, now: float) -> int:
        """Failures of ``key`` inside the window plus its attempts in progress; drops expired failures."""
        times = self._failures.get(key)
        if times is not None:
            while times and times[0] <= now - self.window_seconds:
                times.popleft()
            if not times:
                del self._failures[key]
                times = None
        return (len(times) if times else 0) + self._held.get(key, 0)

    def _record(self, key: str, now: float) -> None:
        times = self._failures.get(key)
        if times is None:
            times = self._failures[key] = deque(maxlen=self.limit)
        else:
            self._failures.move_to_end(key)
        times.append(now)
        while len(self._failures) > self.max_keys:
            self._failures.popitem(last=False)


def _bounded(key: str) -> str:
    return key[:_MAX_KEY_LENGTH]


def client_key(ip: str | None, forwarded_for: str | None, trust_forwarded: bool, fallback: str) -> str:
    """The key a client's attempts are counted under.

    * ``trust_forwarded`` (the app sits behind a reverse proxy that appends the address it sees to
      X-Forwarded-For): the **last** address in that header, the one our proxy wrote. Earlier ones
      come from the client and can be anything;
    * otherwise the address the connection came from (``ip``, e.g. ``st.context.ip_address``);
    * without either, ``fallback`` (the browser session's id): a limit per session only, which a
      client can escape by opening new sessions, so deployments should give one of the above.

    IPv6 addresses count per /64 network, since one household or phone usually has a whole /64 to
    pick addresses from. The prefix of the key says what it was made from.

    >>> client_key("203.0.113.9", None, trust_forwarded=False, fallback="s1")
    'ip:203.0.113.9'
    >>> client_key("127.0.0.1", "10.9.9.9, 198.51.100.4", trust_forwarded=True, fallback="s1")
    'ip:198.51.100.4'
    >>> client_key("203.0.113.9", "198.51.100.4", trust_forwarded=False, fallback="s1")  # header ignored
    'ip:203.0.113.9'
    >>> client_key("2001:db8:1:2:aaaa::1", None, trust_forwarded=False, fallback="s1")
    'ip:2001:db8:1:2::/64'
    >>> client_key(None, None, trust_forwarded=False, fallback="s1")
    'session:s1'
    """
    address: str | None = None
    if trust_forwarded and forwarded_for:
        parts = [p.strip() for p in forwarded_for.split(",")]
        address = parts[-1] or None
    if address is None and ip:
        address = ip.strip() or None
    if address is None:
        return _bounded(f"session:{fallback}")
    return _bounded(f"ip:{_address_group(address)}")


def _address_group(address: str) -> str:
    """One IPv4 address as it is, an IPv6 address as its /64; anything unparsable as given.

    >>> _address_group("::ffff:192.0.2.1"), _address_group("[2001:db8::1]"), _address_group("nonsense")
    ('192.0.2.1', '2001:db8::/64', 'nonsense')
    """
    text = address.strip().removeprefix("[").split("]")[0]
    try:
        parsed = ipaddress.ip_address(text.split("%")[0])  # no zone index (fe80::1%eth0)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)
