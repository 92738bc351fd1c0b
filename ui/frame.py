"""The frame every page starts with: page config, language, presenter mode, navigation.

    t = page_frame("nav.scenarios")
    st.title(t("scenarios.title"))

``page_frame`` returns a translator bound to the user's language.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable

import streamlit as st

from engine.i18n import LANGUAGES, translate
from ui import auth, state
from ui.components import number_field
from ui.nav import PAGES

Translator = Callable[..., str]

# Every page: a key figure may wrap between words but is never cut to "+1,1 …" (Streamlit's metric
# truncates with an ellipsis when its column is narrow), and a label never breaks inside a word.
_PAGE_CSS = """
<style>
[data-testid="stMetricValue"] > div, [data-testid="stMetricValue"] p {
  white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: normal; word-break: normal; }
[data-testid="stMetricValue"] { font-size: 1.9rem; line-height: 1.2; }
[data-testid="stWidgetLabel"] p, [data-testid="stMetricLabel"] p { overflow-wrap: normal; word-break: normal; }
/* Streamlit writes "Press Enter to apply" and a character count into a focused text field, in English
   only; a field here is read when it loses focus as well, so the hint is dropped rather than left
   untranslated on a Swedish page. */
[data-testid="InputInstructions"] { display: none; }
</style>
"""

# Sizes for a projector at the back of a meeting room. Streamlit sizes text in rem, so raising the
# root font size enlarges text, widgets and spacing together. The sidebar starts folded and the page
# keeps narrow margins, so the content takes the projector's whole width.
_PRESENTER_CSS = """
<style>
html { font-size: 21px; }
[data-testid="stMainBlockContainer"] { max-width: none; padding-left: 1.5rem; padding-right: 1.5rem;
  padding-top: 2.5rem; }
</style>
"""
# Streamlit writes its file uploader's button and line in English only ("Upload", "64MB per file •
# JSON"), and its size is the server's ceiling, not the limit of the file asked for. Both are
# replaced by the user's language; each uploader's own label and help state what it takes.
_UPLOADER_CSS = """
<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
  content: "{button}"; font-size: 1rem; }
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after { content: "{line}"; font-size: 0.875rem; }
</style>
"""
_LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}

#: How many modules were loaded when the heap was last frozen (see _freeze_imports).
_frozen_at_modules = 0


def page_frame(title_key: str, *, presenter_default: bool = False, printable: bool = False,
               public: bool = False) -> Translator:
    """Set up the page and draw the sidebar; call first on every page, before other output.

    On a server with sign-in (ui/auth.py), a page that is not ``public`` shows only the sign-in
    screen to someone who has not signed in, and the run stops there.

    ``presenter_default`` starts presenter mode on a page meant for the big screen, unless the
    user or the link has chosen otherwise. A ``printable`` page has a print view (``?print=1``,
    ui/print_view.py): there the frame draws no sidebar and the normal width, presenter mode or not."""
    _freeze_imports()
    state.sync_from_url(presenter_default)
    printing = printable and state.print_view()
    # The print view counts as a page of its own: going back from it starts the page's inputs again
    # from the latest edits (ui.components.working_copy), as entering any page does.
    state.enter_page(f"{title_key}:print" if printing else title_key)
    if printable and not printing and state.came_from(f"{title_key}:print"):
        # Back from the print view through a link within the app, which changes the query the script
        # sees but not the address bar: writing a parameter sends the whole query, without print=1.
        st.query_params["lang"] = state.language()
    number_field.start_run()
    lang = state.language()

    def t(key: str, /, **params: object) -> str:
        return translate(key, lang, **params)

    presenter = state.presenter_mode() and not printing
    st.set_page_config(
        page_title=f"{t(title_key)} · {t('app.title')}",
        page_icon="🧭",  # drawn by the browser itself; a Material icon would be fetched from Google
        layout="wide" if presenter else "centered",
        initial_sidebar_state="collapsed" if presenter or printing else "auto",
    )
    st.html(_PAGE_CSS + _uploader_css(t))
    if not printing:
        if presenter:
            st.html(_PRESENTER_CSS)
        _sidebar(t, lang)
    auth.guard(t, public=public, title_key=title_key)
    return t


def _uploader_css(t: Translator) -> str:
    """The uploader's words in the user's language (plain catalogue text, quotes removed for CSS)."""
    def css_text(key: str) -> str:
        return t(key).replace("\\", "").replace('"', "").replace("<", "")

    return _UPLOADER_CSS.replace("{button}", css_text("frame.upload_button")).replace("{line}", css_text("frame.upload_line"))


def _freeze_imports() -> None:
    """Keep what the imports built (modules, classes, plotly's validators: most of the heap) out of
    the full garbage collection Streamlit runs after every script run (``runner.postScriptGC``).

    That collection walks every tracked object and holds the GIL meanwhile, so the message that the
    run has finished waits for it: on the calculation page 190 000 objects, 0.1 s and more on a busy
    machine, against about 1 ms once they are frozen. Frozen objects are still freed by reference
    counting; only cycles among them are never collected, and imports leave few. A page has run
    its imports when it calls page_frame, so freezing here covers them; it happens again only when
    a page has loaded more modules, a few times per process.
    """
    global _frozen_at_modules
    if len(sys.modules) != _frozen_at_modules:
        _frozen_at_modules = len(sys.modules)
        gc.freeze()


def _sidebar(t: Translator, lang: str) -> None:
    # The widgets mirror the plain keys (which the URL may have changed since the last run).
    st.session_state["frame_language"] = lang
    st.session_state["frame_presenter"] = state.presenter_mode()
    with st.sidebar:
        st.markdown(f"### {t('app.title')}")
        for page in PAGES:
            st.page_link(page.path, label=t(page.label_key), icon=page.icon)
        st.divider()
        st.radio(
            t("frame.language"),
            LANGUAGES,
            format_func=_LANGUAGE_NAMES.__getitem__,
            horizontal=True,
            key="frame_language",
            on_change=state.copy_widget_value,
            args=("frame_language", state.LANG),
        )
        st.toggle(
            t("frame.presenter"),
            help=t("frame.presenter_help"),
            key="frame_presenter",
            on_change=state.copy_widget_value,
            args=("frame_presenter", state.PRESENTER),
        )
        st.caption(t("frame.guidance_note"))
        auth.account_sidebar(t)

