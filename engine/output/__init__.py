"""Output shared by every capability: the look of every chart (``style``) and static image export
through kaleido (``export``). May import the shared kernel only (``i18n``, ``payers``); capabilities
import it, never the other way round.
"""
