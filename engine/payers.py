"""Budget holders (payers): the ones the app offers by name, and how each is named in the user's language.

A payer id is any non-empty text; the six below are the ones the app knows. Their order is the
order in which inputs offer them and charts colour them (:data:`engine.output.style.KNOWN_PAYER_COLOURS`).
"""

from __future__ import annotations

from engine.i18n import DEFAULT_LANGUAGE, translate

#: Budget holders the app offers by name; any other non-empty identifier is allowed too.
KNOWN_PAYERS: tuple[str, ...] = (
    "kommun", "region", "stat", "forsakringskassan", "arbetsformedlingen", "kriminalvarden",
)


def payer_label(payer: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The display name of a budget holder id (a label, a legend); unknown ids are shown as given.

    >>> payer_label("forsakringskassan", "sv"), payer_label("kommun", "en"), payer_label("Samordningsförbundet")
    ('Försäkringskassan', 'The municipality', 'Samordningsförbundet')
    """
    return translate(f"charts.payer.{payer}", lang) if payer in KNOWN_PAYERS else payer


def payer_in_sentence(payer: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """How a budget holder is named inside a sentence ("hamnar hos staten"); unknown ids as written.

    >>> payer_in_sentence("stat", "sv"), payer_in_sentence("Stiftelsen X", "en")
    ('staten', 'Stiftelsen X')
    """
    return translate(f"narrative.payer.{payer}", lang) if payer in KNOWN_PAYERS else payer
