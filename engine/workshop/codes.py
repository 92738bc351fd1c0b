"""Join codes and link secrets for workshops, and how hard they are to guess.

A workshop is reached in two ways:

* the **join code**, short enough to read off a shared screen and type on a phone: eight characters
  from an alphabet of 32 upper-case letters and digits that leaves out the look-alikes I, O, 0 and 1.
  It is public within the room, so its only protection against outsiders is the size of the code
  space together with a limit on failed attempts per client (see ``engine.workshop.attempts``);
* **link secrets** (the facilitator's private link, a participant's personal link): 256 random bits,
  written URL-safe. The database stores only their SHA-256 hashes, so a leaked copy of the
  database does not hand out facilitator access.

Everything here is pure: no database, no Streamlit.

>>> code = new_join_code()
>>> len(code), set(code) <= set(JOIN_CODE_ALPHABET)
(8, True)
>>> normalise_join_code(format_join_code(code).lower()) == code
True
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
from dataclasses import dataclass
from typing import TypeGuard

#: The characters a join code is made of: A–Z and 2–9 without I, O, 0 and 1, which people mix up.
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#: Characters in a join code.
JOIN_CODE_LENGTH = 8
#: How many join codes there are: 32 ** 8 = 2 ** 40, about 1.1 million million.
JOIN_CODE_SPACE = len(JOIN_CODE_ALPHABET) ** JOIN_CODE_LENGTH

#: Longest input ``normalise_join_code`` looks at; anything longer is refused unread.
MAX_JOIN_CODE_INPUT = 40
#: What people type between the groups of a code: spaces and dashes (phones like to turn "-" into "–").
_SEPARATORS = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014\u2212]+")

#: Random bytes in a link secret: 32 bytes = 256 bits.
SECRET_BYTES = 32
#: ``secrets.token_urlsafe(32)`` is 43 characters of the URL-safe base64 alphabet (no padding).
_SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")

#: Expected guesses to hit one given 256-bit secret: half the space.
SECRET_EXPECTED_GUESSES = 2**256 // 2

_SECONDS_PER_YEAR = 365.25 * 24 * 3600

assert len(set(JOIN_CODE_ALPHABET)) == len(JOIN_CODE_ALPHABET) == 32
assert not set("IO01") & set(JOIN_CODE_ALPHABET)


# --------------------------------------------------------------------------- join codes


def new_join_code() -> str:
    """A fresh random join code: eight characters of ``JOIN_CODE_ALPHABET``, no dash.

    Uniqueness among open workshops is the caller's job (try again on a clash in the database).

    >>> import re
    >>> bool(re.fullmatch("[A-HJ-NP-Z2-9]{8}", new_join_code()))
    True
    """
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def format_join_code(code: str) -> str:
    """The code as shown on the screen: two groups of four joined by a dash.

    >>> format_join_code("ABCDEFGH")
    'ABCD-EFGH'
    """
    if len(code) != JOIN_CODE_LENGTH:
        raise ValueError(f"a join code has {JOIN_CODE_LENGTH} characters, not {len(code)}")
    half = JOIN_CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def normalise_join_code(text: str | None) -> str | None:
    """The join code a person meant, from what they typed or pasted; None if it cannot be a code.

    Case, spaces and dashes (also the typographic ones a phone keyboard puts in) do not matter.
    Characters outside the alphabet are refused rather than guessed at: ``0`` and ``O`` are both
    left out of the alphabet, so there is no right letter to map a typed ``0`` to.

    >>> normalise_join_code(" abcd-efgh ")
    'ABCDEFGH'
    >>> normalise_join_code("AbCd EfGh")
    'ABCDEFGH'
    >>> normalise_join_code("ABCD–EFGH")  # en dash from a phone keyboard
    'ABCDEFGH'
    >>> normalise_join_code("ABCD-EFG0") is None  # 0 is not in the alphabet
    True
    >>> normalise_join_code("ABCD-EFG") is None, normalise_join_code(None) is None, normalise_join_code("") is None
    (True, True, True)
    >>> normalise_join_code("A" * 41) is None  # too long to be worth reading
    True
    """
    if text is None or len(text) > MAX_JOIN_CODE_INPUT:
        return None
    compact = _SEPARATORS.sub("", text)
    # ASCII only before upper-casing: some non-ASCII letters upper-case into ASCII ones ("ſ" -> "S").
    if len(compact) != JOIN_CODE_LENGTH or not compact.isascii():
        return None
    code = compact.upper()
    if not all(ch in JOIN_CODE_ALPHABET for ch in code):
        return None
    return code


# --------------------------------------------------------------------------- link secrets


def new_secret() -> str:
    """A fresh link secret: 256 random bits as 43 URL-safe characters.

    >>> is_secret_shaped(new_secret())
    True
    """
    return secrets.token_urlsafe(SECRET_BYTES)


def secret_hash(secret: str) -> str:
    """What the database keeps of a secret: its SHA-256 as 64 lower-case hex digits.

    A plain hash (no salt, no slow key derivation) is enough because the secret is 256 random bits,
    not a password a person chose: there is nothing to try from a word list.

    >>> secret_hash("abc")
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    """
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def is_secret_shaped(text: object) -> TypeGuard[str]:
    """True if ``text`` looks like a secret from ``new_secret`` (43 URL-safe characters).

    Use it to refuse junk from a URL before hashing it and asking the database.

    >>> is_secret_shaped("A" * 43), is_secret_shaped("A" * 42), is_secret_shaped("A" * 42 + "="), is_secret_shaped(None)
    (True, False, False, False)
    """
    return isinstance(text, str) and _SECRET_SHAPE.fullmatch(text) is not None


def same_secret(a_hash: str, b_hash: str) -> bool:
    """Compare two secret hashes in constant time (no timing hint about how much of them matches).

    >>> h = secret_hash("x")
    >>> same_secret(h, secret_hash("x")), same_secret(h, secret_hash("y"))
    (True, False)
    """
    return hmac.compare_digest(a_hash.encode("utf-8"), b_hash.encode("utf-8"))


# --------------------------------------------------------------------------- guessing effort


@dataclass(frozen=True)
class GuessEffort:
    """How long guessing a way into some workshop takes one client under the attempt limit."""

    #: Workshops open at the same time, each with its own join code.
    open_workshops: int
    #: Expected wrong guesses before one client address hits any open workshop's code, guessing
    #: without repeats (the best an attacker can do): (N + 1) / (W + 1) for N codes, W of them open.
    expected_guesses: float
    #: The most guesses the attempt limit lets one client address make in a year.
    guesses_per_year: float
    #: ``expected_guesses`` at that rate, in years.
    expected_years: float
    #: Chance that one client address hits some open code within a year at that rate.
    chance_within_a_year: float
    #: Expected guesses to hit a given 256-bit link secret (2 ** 255): far beyond any reach, with or
    #: without a limit, so the facilitator's and participants' links need no attempt limit of their own.
    secret_expected_guesses: int = SECRET_EXPECTED_GUESSES


def guess_effort(open_workshops: int, attempts_per_window: int, window_seconds: float) -> GuessEffort:
    """The guessing effort for one client when ``attempts_per_window`` failures per window are allowed.

    With 100 open workshops and 20 failed attempts per 10 minutes:

    >>> e = guess_effort(100, 20, 600)
    >>> f"{e.expected_guesses:.4g} guesses, {e.guesses_per_year:,.0f} a year, {e.expected_years:,.0f} years"
    '1.089e+10 guesses, 1,051,920 a year, 10,349 years'
    >>> f"{e.chance_within_a_year:.1e}"
    '9.6e-05'
    >>> e.secret_expected_guesses == 2**255
    True

    With no workshop open there is nothing to hit:

    >>> guess_effort(0, 20, 600).expected_years
    inf
    """
    if open_workshops < 0:
        raise ValueError("open_workshops cannot be negative")
    if attempts_per_window <= 0 or window_seconds <= 0:
        raise ValueError("attempts_per_window and window_seconds must be positive")
    n, w = JOIN_CODE_SPACE, min(open_workshops, JOIN_CODE_SPACE)
    per_year = attempts_per_window * _SECONDS_PER_YEAR / window_seconds
    if w == 0:
        return GuessEffort(0, math.inf, per_year, math.inf, 0.0)
    expected = (n + 1) / (w + 1)
    # Drawing g codes without repeats misses all w open ones with probability
    # prod_{i<w} (n - g - i) / (n - i); summed as logs so it neither underflows nor takes long.
    g = min(per_year, n)
    if g >= n - w + 1:
        log_miss = -math.inf
    elif w <= 10_000:
        log_miss = sum(math.log1p(-g / (n - i)) for i in range(w))
    else:  # the factors hardly differ; the middle one stands for all
        log_miss = w * math.log1p(-g / (n - w / 2))
    return GuessEffort(
        open_workshops=open_workshops,
        expected_guesses=expected,
        guesses_per_year=per_year,
        expected_years=expected / per_year,
        chance_within_a_year=-math.expm1(log_miss),
    )
