"""Presenter mode fills a projector, and no key figure or chart title is cut, in both languages.

Measured in the real browser: the width of the content area in presenter mode against normal mode at
the same window size, every key figure (st.metric) against its own box, and every chart title against
its chart.
"""

import pytest

from tests.browser.helpers import assert_no_exception, goto, wait_for_app

_MEASURE = """() => {
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  const cut = [...document.querySelectorAll('[data-testid="stMetricValue"] > div')]
      .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText);
  const titles = [...document.querySelectorAll('.js-plotly-plot')].flatMap(plot => {
      const frame = plot.getBoundingClientRect();
      return [...plot.querySelectorAll('[class*="gtitle"], .annotation-text')]
          .filter(t => { const r = t.getBoundingClientRect(); return r.right > frame.right + 1 || r.left < frame.left - 1; })
          .map(t => t.textContent);
  });
  const sidebar = document.querySelector('[data-testid="stSidebar"]');
  return {width: main.getBoundingClientRect().width, cut, titles,
          sidebar: sidebar ? sidebar.getBoundingClientRect().width : 0,
          expanded: sidebar ? sidebar.getAttribute('aria-expanded') : null};
}"""


def _measure(browser, app_server, size, path, lang, present):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    try:
        page = context.new_page()
        goto(page, app_server, path, lang=lang)
        if present:
            page.goto(page.url + "&present=1")
            wait_for_app(page)
        page.wait_for_timeout(1000)  # plotly lays out its titles after the script has finished
        assert_no_exception(page, app_server.log_path)
        return page.evaluate(_MEASURE)
    finally:
        context.close()


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["1280x720", "1920x1080"])
@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("path", ["kalkyl", "jamfor_instrument"])
def test_presenter_mode_is_wider_than_normal_mode_and_cuts_nothing(browser, app_server, size, lang, path):
    normal = _measure(browser, app_server, size, path, lang, present=False)
    presenter = _measure(browser, app_server, size, path, lang, present=True)
    assert presenter["width"] > normal["width"]
    assert presenter["width"] >= 0.9 * size[0]  # the sidebar starts folded: no grey strip beside the content
    for mode in (normal, presenter):
        assert mode["cut"] == []
        assert mode["titles"] == []


def test_normal_mode_at_1440_cuts_no_key_figure_even_when_nothing_breaks_even(browser, app_server):
    # The diabetes example never breaks even within its horizon: its break-even figure is the
    # longest text of the four key figures.
    for lang, label, option in (("sv", "Vad vill ni räkna på?", "Exempel: Förebyggande av typ 2-diabetes"),
                                ("en", "What do you want to calculate?", "Example: Type 2 diabetes prevention")):
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        try:
            page = context.new_page()
            goto(page, app_server, "kalkyl", lang=lang)
            page.get_by_role("combobox", name=label).click()
            page.get_by_role("option", name=option).first.click()
            wait_for_app(page, settle_ms=300)
            page.wait_for_timeout(1000)
            assert_no_exception(page, app_server.log_path)
            measured = page.evaluate(_MEASURE)
        finally:
            context.close()
        assert measured["cut"] == []
        assert measured["titles"] == []
