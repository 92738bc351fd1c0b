"""The address kept across sign-in (ui/sign_in_return.py): only the app's own pages, only a few
short parameters, and nothing from a tampered cookie."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ui.nav import PAGES
from ui.sign_in_return import decode_return, encode_return

PATHS = {entry.path for entry in PAGES}
short = st.text(max_size=40)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # timing is not the point
@given(st.sampled_from(sorted(PATHS)), st.dictionaries(short, short, max_size=12))
def test_a_page_of_the_app_with_its_query_comes_back_as_it_went(path, query):
    assert decode_return(encode_return(path, query), PATHS) == (path, query)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # timing is not the point
@given(st.text(max_size=200))
def test_anything_else_in_the_cookie_names_no_page(value):
    found = decode_return(value, PATHS)
    assert found is None or found[0] in PATHS


def test_nothing_outside_the_app_and_nothing_oversized_is_a_destination():
    for page in ("https://evil.example/login", "//evil.example", "../secrets.toml", "pages/nope.py"):
        assert decode_return(encode_return(page, {}), PATHS) is None
    assert decode_return(encode_return("pages/workshop.py", {"f": "x" * 301}), PATHS) is None
    assert decode_return(encode_return("pages/kalkyl.py", {str(i): "" for i in range(13)}), PATHS) is None
    assert decode_return(None, PATHS) is None
    assert decode_return('"; document.cookie="x', PATHS) is None
