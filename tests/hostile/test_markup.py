"""User text is data, never markup: a scenario whose every name holds Markdown, HTML, LaTeX, links,
images, icons and template fields is shown as typed on every page, in real Chromium.

The scenario (:func:`hostile_scenario_dict`, also used by ``test_markup_apptest.py``) is saved into a
fresh SQLite file before the app starts. The browser then opens Långsiktig kalkyl (every part of the
input selector, every chart tab), Jämför instrument (every chart tab), Effektmål, Scenarier (every
tab) and Instrumenten with a hostile ``?instrument=``, and after each step checks that

* no request left 127.0.0.1 (an ``<img>`` or a CSS image that was rendered would fetch
  ``evil.example``; every request is recorded and anything off the machine is refused),
* no link (HTML ``<a>`` or plotly's SVG ``<a>``) points to ``evil.example`` and no image has a source
  off the machine,
* the text is on screen as typed (``**fet**`` and ``<b>x</b>`` with their asterisks and brackets).

A second test does the same for a workshop: the facilitator's every view and the participant's page.
One server, one browser, one page: about a minute each.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from engine.scenario import FORMAT_ID, parse_scenario
from tests.browser.helpers import (
    REPO_ROOT,
    assert_no_exception,
    free_port,
    goto,
    log_tail,
    start_streamlit,
    stop_process,
    wait_for_app,
    wait_for_health,
)

#: The name of the scenario: every kind of markup Streamlit or a browser would act on.
HOSTILE = ("**fet** [Logga in](http://evil.example/login) <b>x</b> ![i](http://evil.example/i.png) "
           "$x^2$ :red[röd] <img src=http://evil.example/p.png>")
#: Two outcomes; their first 19 characters survive the input selector's shortening.
OUTCOME_1 = ("**fet** <b>x</b> O1 [Logga in](http://evil.example/o1) $x^2$ :red[röd] "
             "<img src=http://evil.example/o1.png>")
OUTCOME_2 = "**fet** <b>x</b> O2 ![i](http://evil.example/o2.png) <a href=http://evil.example/o2>länk</a>"
#: Budget holders (keys of values, a cost's payer, the outcome payer) with plotly's markup too.
PAYER_A = '<a href="http://evil.example/pay">**Betalare**</a> :material/home: a@evil.example'
PAYER_B = "%{text} <b>B</b> &lt; www.evil.example :smile:"
UNIT = "<i>dagar</i> [enhet](http://evil.example/u) :blue[blå]"
COST = '=HYPERLINK("http://evil.example/c") **kostnad** <b>k</b>'

#: What must never be in a page, a chart or a label: the markup above, rendered.
EVIL = "evil.example"


def hostile_scenario_dict() -> dict[str, Any]:
    """A valid scenario (it passes :func:`engine.scenario.parse_scenario`) with markup in every name:
    the scenario, its description, outcomes, units, budget holders in costs, values and the contract,
    cost items, price keys and sources. It has costs, benefits for two payers, warnings on the
    comparison page (a price above the value, no deadweight) and an uncertainty range, so that
    every chart and sentence of every page is drawn."""
    data = {
        "format": FORMAT_ID,
        "name": HOSTILE,
        "description": HOSTILE + "\n\n# Rubrik\n- lista [länk](http://evil.example/d)",
        "price_year": 2025,
        "discount_rate": 0.035,
        "horizon_years": 6,
        "contract_years": 3,
        "intake": [100.0, 100.0],
        "costs": [
            {"name": COST, "payer": PAYER_A, "kind": "delivery", "per_participant": 10_000.0},
            {"name": HOSTILE, "payer": "kommun", "kind": "other", "per_year": 200_000.0, "first_year": 1,
             "last_year": 1},
        ],
        "outcomes": [
            {"name": OUTCOME_1, "unit": UNIT, "baseline": 10.0, "effect": 0.3, "effect_range": [0.1, 0.5],
             "effect_profile": [1.0, 1.0, 0.5], "deadweight": 0.0, "values": {PAYER_A: 2_000.0, PAYER_B: 1_500.0}},
            {"name": OUTCOME_2, "unit": UNIT, "baseline": 5.0, "effect": 0.2, "effect_profile": [1.0, 1.0],
             "deadweight": 0.1, "values": {PAYER_B: 1_000.0, "kommun": 500.0}},
        ],
        "uncertainty": {"value_range": [0.8, 1.2], "cost_range": [0.9, 1.3]},
        "contract": {"instrument": "social_outcomes_contract", "outcome_payer": PAYER_A,
                     "prices": {OUTCOME_1: 3_000.0, OUTCOME_2: 400.0}, "payment_window": [1, 4]},
        "sources": [{"field": "outcomes[0].baseline", "text": HOSTILE},
                    {"field": "outcomes[0].values." + PAYER_A, "text": "Antagande: " + PAYER_B}],
    }
    parse_scenario(data)  # fails here, with the reason, if a limit of the format changes
    return data


def save_hostile_scenario(database_url: str) -> int:
    """Save the hostile scenario into the database at ``database_url`` (migrating it); its document id."""
    from engine.storage import open_database, save_scenario, session_factory

    engine = open_database(database_url)
    try:
        with session_factory(engine).begin() as session:
            return save_scenario(session, parse_scenario(hostile_scenario_dict())).document_id
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- the browser test

pytestmark = pytest.mark.browser

_LOCAL_HOSTS = {"127.0.0.1", "localhost"}
_LOCAL_SCHEMES = {"data", "blob", "about"}

#: Every link and image in the page, HTML and SVG (plotly draws its links as SVG ``<a>``).
_LINKS_AND_IMAGES_JS = """
() => {
    const href = e => e.getAttribute('href') || e.getAttribute('xlink:href') || '';
    return {
        links: Array.from(document.querySelectorAll('a')).map(href),
        images: Array.from(document.querySelectorAll('img, image, source, video, iframe'))
                     .map(e => e.getAttribute('src') || href(e)),
        html: document.body.innerHTML.includes('evil.example') ? 'mentions' : '',
    };
}
"""


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, int]]:
    """The app on its own SQLite file that already holds the hostile scenario: (base URL, log, id)."""
    workdir = tmp_path_factory.mktemp("hostile_app")
    url = f"sqlite:///{workdir / 'app.db'}"
    document_id = save_hostile_scenario(url)
    log_path = workdir / "streamlit.log"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_streamlit(port, url, log_path, app="app.py", cwd=REPO_ROOT)
    try:
        try:
            wait_for_health(base, proc, timeout=90)
        except RuntimeError as e:
            pytest.fail(f"{e}\n{log_tail(log_path)}", pytrace=False)
        yield base, log_path, document_id
    finally:
        stop_process(proc)


@pytest.fixture
def hostile_page(hostile_app, browser) -> Iterator[tuple[Any, list[str]]]:
    """A Chromium page (in its own context of the session's browser, tests/conftest.py) that records
    every request it makes and refuses any that leaves the machine."""
    yield from _guarded_page(browser)


def _guarded_page(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    """A page in a new context of ``browser``; requests off the machine are recorded and refused."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        outside: list[str] = []

        def guard(route) -> None:
            if _leaves_machine(route.request.url):
                outside.append(route.request.url)
                route.abort()
            else:
                route.continue_()

        # Routing sees page and worker requests; the listener also sees what bypasses routing.
        context.route("**/*", guard)
        page.on("request", lambda request: outside.append(request.url)
                if _leaves_machine(request.url) and request.url not in outside else None)
        yield page, outside
    finally:
        context.close()


def _leaves_machine(url: str) -> bool:
    """Every request must stay on this machine; also the tab's icon (ui/frame.py draws an emoji,
    which the browser renders itself, where a Material icon would be fetched from Google)."""
    parts = urlsplit(url)
    return parts.scheme not in _LOCAL_SCHEMES and (parts.hostname or "") not in _LOCAL_HOSTS


def _check(page, outside: list[str], where: str, *, literal: tuple[str, ...] = ("**fet**", "<b>x</b>")) -> None:
    """No request off the machine, no link or image to evil.example, and the typed text on screen."""
    assert not outside, f"{where}: requests left 127.0.0.1: {outside}"
    found = page.evaluate(_LINKS_AND_IMAGES_JS)
    bad_links = [href for href in found["links"] if EVIL in href]
    assert not bad_links, f"{where}: links to {EVIL}: {bad_links}"
    bad_images = [src for src in found["images"] if src and _leaves_machine(src) and not src.startswith("/")]
    assert not bad_images, f"{where}: images from outside: {bad_images}"
    text = page.inner_text("[data-testid='stMain']")
    for piece in literal:
        assert piece in text, f"{where}: {piece!r} is not on screen as typed.\n{text[:3000]}"


def _open(page, base: str, path: str, log: Path) -> None:
    goto(page, base, path, lang="sv")
    assert_no_exception(page, log)


def _click_each(page, items_css: str, outside: list[str], log: Path, where: str, **literal) -> int:
    """Click every element that ``items_css`` finds in turn, checking the page after each."""
    items = page.locator(items_css)
    count = items.count()
    for index in range(count):
        items.nth(index).click()
        wait_for_app(page, settle_ms=300)
        assert_no_exception(page, log)
        _check(page, outside, f"{where} #{index + 1}", **literal)
    return count


def test_hostile_names_show_as_typed_on_every_page(hostile_app, hostile_page):
    base, log, document_id = hostile_app
    page, outside = hostile_page
    scenario = f"scenario=saved:{document_id}"

    # Långsiktig kalkyl: the headline, every input part (the outcomes are named in the selector) and chart.
    _open(page, base, f"kalkyl?{scenario}", log)
    _check(page, outside, "kalkyl")
    parts = _click_each(page, "[data-testid='stButtonGroup'] button", outside, log, "kalkyl part")
    assert parts >= 6, f"the input-part selector has {parts} parts"
    tabs = _click_each(page, "[data-testid='stTabs'] [role='tab']", outside, log, "kalkyl chart tab")
    assert tabs == 5
    page.get_by_role("tab").nth(1).click()  # the flows: one legend entry per budget holder
    wait_for_app(page, settle_ms=300)
    legend = " ".join(page.locator(".js-plotly-plot .legendtext").all_text_contents())
    assert "<b>B</b>" in legend, legend
    assert "%{text}" in legend, legend

    # Jämför instrument: warnings quote the outcome names; the payments chart names the outcomes.
    _open(page, base, f"jamfor_instrument?{scenario}", log)
    _check(page, outside, "jamfor_instrument")
    _click_each(page, "[data-testid='stTabs'] [role='tab']", outside, log, "jamfor_instrument tab")

    # Effektmål: one card per outcome, its unit on the chart's axis.
    _open(page, base, f"effektmal?{scenario}", log)
    _check(page, outside, "effektmal")

    # Scenarier: the open scenario, its history and its management (rename, trash confirmation).
    _open(page, base, f"scenarier?{scenario}", log)
    _check(page, outside, "scenarier", literal=())
    _click_each(page, "[data-testid='stTabs'] [role='tab']", outside, log, "scenarier tab", literal=())
    values = page.evaluate("() => Array.from(document.querySelectorAll('input, textarea')).map(e => e.value)")
    assert HOSTILE in values, f"the scenario's name is not in a field as typed: {values}"

    # Instrumenten: an unknown ?instrument= is quoted in a warning.
    _open(page, base, "instrumenten?instrument=" + quote(HOSTILE[:60], safe=""), log)
    _check(page, outside, "instrumenten", literal=("**fet**", "[Logga in]"))
    warning = page.locator("[data-testid='stAlert']").first.inner_text()
    assert re.search(r"\*\*fet\*\* \[Logga in\]\(http:\u2060?//evil\.example/login\)", warning), warning


#: Participant names are at most 60 characters; this one still carries every kind of markup that fits.
HOSTILE_PERSON = "**fet** <b>x</b> [L](http://evil.example/p) :red[r]"


def _hostile_workshop(database_url: str, scenario_id: int) -> tuple[str, str]:
    """A workshop on the hostile scenario with a hostile title, organisation and participant, who has
    answered and estimated in an open round: (facilitator secret, join code)."""
    from engine.storage import open_database, session_factory
    from engine.storage import workshops as ws
    from engine.storage.database import writing
    from engine.workshop.rounds import RoundTarget

    engine = open_database(database_url)
    try:
        with writing(session_factory(engine)) as session:
            created = ws.create_workshop(session, ws.WorkshopSetup(
                title=HOSTILE[:200], organisation=HOSTILE[:200], date="2026-12-02", scenario_id=scenario_id,
                decisions=HOSTILE, notes=HOSTILE))
            person, _ = ws.join_workshop(session, created.workshop.id, HOSTILE_PERSON, "kommun", "e" * 64)
            ws.record_answer(session, person.id, "purpose", "test_new_method", step=1)
            the_round = ws.open_round(session, created.workshop.id, RoundTarget("effect", 0), 1)
            ws.record_estimate(session, the_round.id, person.id, 0.1, 0.2, 0.3)
        return created.facilitator_secret, created.workshop.join_code
    finally:
        engine.dispose()


def test_hostile_names_show_as_typed_in_a_workshop(hostile_app, hostile_page):
    """The facilitator's every view and the participant's page, with markup in the workshop's title,
    organisation, decisions and notes, a participant's name and the scenario's outcome names."""
    base, log, document_id = hostile_app
    page, outside = hostile_page
    url = f"sqlite:///{log.parent / 'app.db'}"
    secret, code = _hostile_workshop(url, document_id)

    _open(page, base, f"workshop?f={secret}", log)
    _check(page, outside, "workshop")
    views = _click_each(page, "[data-testid='stButtonGroup'] button", outside, log, "workshop view", literal=())
    assert views == 7
    text = page.inner_text("[data-testid='stMain']")
    assert "**fet**" in text  # the title heads every view

    # The participant's page: the title and organisation above the join form, then a new participant
    # (another browser) joins and sees the round on the hostile outcome.
    _open(page, base, f"delta?kod={code}", log)
    _check(page, outside, "delta")
    page.get_by_role("textbox", name="Ditt namn").fill("Deltagare <b>y</b> **z**")
    page.get_by_text("Region", exact=True).click()
    page.get_by_role("button", name="Gå med").click()
    wait_for_app(page, settle_ms=500)
    assert_no_exception(page, log)
    _check(page, outside, "delta joined", literal=("**fet**", "<b>x</b>"))
