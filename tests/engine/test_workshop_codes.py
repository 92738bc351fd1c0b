"""Join codes, link secrets and the limit on failed join attempts (engine/workshop/codes.py, attempts.py)."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.workshop.attempts import AttemptLimiter, client_key
from engine.workshop.codes import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_SPACE,
    format_join_code,
    guess_effort,
    is_secret_shaped,
    new_join_code,
    new_secret,
    normalise_join_code,
    same_secret,
    secret_hash,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --------------------------------------------------------------------------- join codes


def test_the_alphabet_has_no_look_alikes_and_the_space_is_two_to_the_forty():
    assert len(JOIN_CODE_ALPHABET) == 32
    assert not set("IO01") & set(JOIN_CODE_ALPHABET)
    assert JOIN_CODE_SPACE == 32**8 == 2**40


def test_new_codes_use_every_character_of_the_alphabet_and_differ():
    codes = [new_join_code() for _ in range(2000)]
    assert len(set(codes)) == len(codes)
    counts = Counter("".join(codes))
    assert set(counts) == set(JOIN_CODE_ALPHABET)
    # 16 000 characters over 32 letters is 500 each on average; a biased generator would stand out.
    assert min(counts.values()) > 350
    assert max(counts.values()) < 650


@given(st.text(alphabet=JOIN_CODE_ALPHABET, min_size=8, max_size=8))
def test_a_shown_code_reads_back_however_it_is_typed(code):
    shown = format_join_code(code)
    assert shown[4] == "-"
    assert shown.replace("-", "") == code
    for typed in (shown, shown.lower(), f"  {shown} ", code.lower(), f"{code[:4]} {code[4:]}",
                  shown.replace("-", "\u2013"), " ".join(code)):
        assert normalise_join_code(typed) == code, typed


@pytest.mark.parametrize("typed", [
    None, "", "ABCDEFG", "ABCDEFGHJ", "ABCD-EFG0", "ABCD-EFGI", "ABCD-EFG1", "ABCD-EFGO",
    "ABCD_EFGH", "ABCD.EFGH", "ABCDEFG\u017f",  # long s upper-cases to S, still refused
    "ABCDEFGH" + " " * 33,  # 41 characters
    "ÄBCDEFGH", "ABCD\x00EFGH",
])
def test_what_cannot_be_a_code_is_refused(typed):
    assert normalise_join_code(typed) is None


@given(st.text(max_size=60))
def test_normalising_returns_a_valid_code_or_none(text):
    code = normalise_join_code(text)
    assert code is None or (len(code) == 8 and set(code) <= set(JOIN_CODE_ALPHABET))


def test_format_refuses_a_wrong_length():
    with pytest.raises(ValueError, match="8 characters"):
        format_join_code("ABC")


# --------------------------------------------------------------------------- secrets


def test_secrets_are_long_random_and_stored_only_as_hashes():
    made = {new_secret() for _ in range(100)}
    assert len(made) == 100
    assert all(is_secret_shaped(s) and len(s) == 43 for s in made)
    secret = made.pop()
    digest = secret_hash(secret)
    assert len(digest) == 64
    assert secret not in digest
    assert same_secret(digest, secret_hash(secret))
    assert not same_secret(digest, secret_hash(secret + "x"))
    assert not same_secret(digest, "")


@pytest.mark.parametrize("text", ["", "A" * 42, "A" * 44, "A" * 42 + "+", "A" * 42 + "/", "Å" * 43, 43, None])
def test_junk_is_not_secret_shaped(text):
    assert not is_secret_shaped(text)


# --------------------------------------------------------------------------- guessing effort


def test_guess_effort_for_a_busy_day():
    effort = guess_effort(open_workshops=100, attempts_per_window=20, window_seconds=600)
    assert effort.expected_guesses == pytest.approx((2**40 + 1) / 101)
    assert effort.guesses_per_year == pytest.approx(20 * 6 * 24 * 365.25)
    assert 10_000 < effort.expected_years < 11_000
    # Roughly guesses in a year times the share of codes that are open.
    assert effort.chance_within_a_year == pytest.approx(effort.guesses_per_year * 100 / 2**40, rel=1e-3)
    assert effort.secret_expected_guesses == 2**255


def test_more_open_workshops_make_guessing_easier_and_bad_arguments_are_refused():
    few, many = guess_effort(10, 20, 600), guess_effort(10_000, 20, 600)
    assert many.expected_years < few.expected_years
    assert many.chance_within_a_year > few.chance_within_a_year
    assert guess_effort(50_000, 20, 600).chance_within_a_year > many.chance_within_a_year
    for args in ((-1, 20, 600), (10, 0, 600), (10, 20, 0)):
        with pytest.raises(ValueError, match=r"negative|positive"):
            guess_effort(*args)


# --------------------------------------------------------------------------- attempt limit


def test_a_thousand_wrong_attempts_let_only_the_limit_through():
    clock = FakeClock()
    limiter = AttemptLimiter(limit=20, window_seconds=600, clock=clock)
    let_through = 0
    for _ in range(1000):
        if not limiter.blocked("ip:192.0.2.1"):
            let_through += 1
            limiter.record_failure("ip:192.0.2.1")
        clock.now += 0.1
    assert let_through == 20
    assert 0 < limiter.retry_after("ip:192.0.2.1") <= 600


def test_failures_leave_the_window_one_by_one():
    clock = FakeClock()
    limiter = AttemptLimiter(limit=3, window_seconds=60, clock=clock)
    for step in (0, 10, 20):
        clock.now = 1000.0 + step
        limiter.record_failure("k")
    assert limiter.blocked("k")
    assert limiter.retry_after("k") == pytest.approx(40)
    clock.now = 1059.9
    assert limiter.blocked("k")
    clock.now = 1060.0  # the first failure is out: one attempt free
    assert not limiter.blocked("k")
    assert limiter.retry_after("k") == 0
    limiter.record_failure("k")
    assert limiter.blocked("k")
    assert limiter.retry_after("k") == pytest.approx(10)  # until the failure at 1010 is out
    clock.now = 2000.0
    assert not limiter.blocked("k")
    assert len(limiter) == 0  # a key whose failures all expired is forgotten


def test_keys_are_independent():
    limiter = AttemptLimiter(limit=2, window_seconds=60, clock=FakeClock())
    limiter.record_failure("a")
    limiter.record_failure("a")
    assert limiter.blocked("a")
    assert not limiter.blocked("b")
    assert limiter.retry_after("b") == 0


def test_acquire_holds_a_place_while_an_attempt_is_checked():
    limiter = AttemptLimiter(limit=3, window_seconds=60, clock=FakeClock())
    # Sessions of one client start checking at once: only three get a place.
    assert [limiter.acquire("k") for _ in range(5)] == [True, True, True, False, False]
    assert limiter.blocked("k")
    assert limiter.retry_after("k") > 0
    limiter.release("k", failed=False)  # a success frees its place and clears nothing else
    assert limiter.acquire("k")
    for _ in range(3):
        limiter.release("k", failed=True)
    limiter.release("k", failed=True)
    assert limiter.blocked("k")
    assert not limiter.acquire("k")


def test_a_success_does_not_wipe_failures():
    limiter = AttemptLimiter(limit=2, window_seconds=60, clock=FakeClock())
    limiter.release("k", failed=True)  # (an unheld release is harmless)
    assert limiter.acquire("k")
    limiter.release("k", failed=False)
    limiter.record_failure("k")
    assert limiter.blocked("k")


def test_counting_is_consistent_across_threads():
    limiter = AttemptLimiter(limit=10_000, window_seconds=3600)
    start = threading.Barrier(8)

    def fail_often(n: int) -> None:
        start.wait()
        for _ in range(500):
            limiter.record_failure(f"k{n % 2}")
            limiter.blocked("k0")

    threads = [threading.Thread(target=fail_often, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # 4 threads x 500 failures per key, none lost.
    assert len(limiter._failures["k0"]) == len(limiter._failures["k1"]) == 2000


def test_acquire_never_lets_more_than_the_limit_through_from_many_threads():
    limiter = AttemptLimiter(limit=20, window_seconds=3600)
    start = threading.Barrier(8)
    passed = []

    def guess() -> None:
        start.wait()
        for _ in range(500):
            if limiter.acquire("ip:192.0.2.1"):
                passed.append(1)
                limiter.release("ip:192.0.2.1", failed=True)

    threads = [threading.Thread(target=guess) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(passed) == 20


def test_memory_stays_bounded():
    clock = FakeClock()
    limiter = AttemptLimiter(limit=5, window_seconds=600, clock=clock, max_keys=100)
    for i in range(10_000):
        limiter.record_failure(f"ip:{i}")
    assert len(limiter) == 100
    assert not limiter.blocked("ip:0")  # the oldest keys were forgotten
    for _ in range(1000):
        limiter.record_failure("ip:9999")
    assert len(limiter._failures["ip:9999"]) == 5
    limiter.record_failure("x" * 10_000)
    assert max(len(k) for k in limiter._failures) <= 100


def test_bad_limits_are_refused():
    for args in ((0, 60), (5, 0)):
        with pytest.raises(ValueError, match="positive"):
            AttemptLimiter(*args)


# --------------------------------------------------------------------------- client key


@pytest.mark.parametrize(("ip", "forwarded", "trust", "expected"), [
    ("203.0.113.9", None, False, "ip:203.0.113.9"),
    ("203.0.113.9", "198.51.100.4", False, "ip:203.0.113.9"),  # the header is ignored without a proxy
    (None, "1.1.1.1, 198.51.100.4", True, "ip:198.51.100.4"),  # the proxy's entry is the last one
    (None, "1.1.1.1,198.51.100.4 ", True, "ip:198.51.100.4"),
    ("10.0.0.2", "", True, "ip:10.0.0.2"),  # proxy configured but no header: the peer
    ("2001:db8:aa:bb:1::7", None, False, "ip:2001:db8:aa:bb::/64"),
    (None, "2001:db8:aa:bb:ffff::1", True, "ip:2001:db8:aa:bb::/64"),
    ("::ffff:203.0.113.9", None, False, "ip:203.0.113.9"),
    (None, None, True, "session:sess"),
    (None, None, False, "session:sess"),
])
def test_client_key(ip, forwarded, trust, expected):
    assert client_key(ip, forwarded, trust_forwarded=trust, fallback="sess") == expected


def test_spoofed_forwarded_entries_do_not_change_the_key():
    real = client_key(None, "198.51.100.4", trust_forwarded=True, fallback="s")
    for spoof in ("1.2.3.4", "1.2.3.4, 5.6.7.8", "garbage"):
        assert client_key(None, f"{spoof}, 198.51.100.4", trust_forwarded=True, fallback="s") == real
