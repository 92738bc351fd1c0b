"""User text inside plotly charts, shown as typed.

Plotly draws its text (trace names in the legend and the hover box, category labels on the axes,
annotations, titles, bar texts and the values a ``hovertemplate`` pulls in) through a small HTML
of its own: ``<b>``, ``<i>``, ``<br>``, ``<span style>``, ``<a href>`` (a live link in the chart)
and entities such as ``&lt;``. It also reads ``%{...}`` in a hover template as a field of the
point, and a text between ``$`` signs as LaTeX where MathJax is loaded. A payer or outcome named
``<a href="http://evil.example">Logga in</a>`` would then put a link into the municipality's
chart and into its PNG and SVG exports. :func:`chart_text` is the one rule for the charts: every
piece of user text goes through it before it enters any text of a figure, and before
:func:`engine.output.style.wrap_label` adds the ``<br>`` of its own line breaks.
"""

from __future__ import annotations

#: Each character plotly would read as markup, and the entity it shows literally instead.
#: ``&`` comes first so that the entities written for the others are not escaped again.
_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("$", "&#36;"), ("%{", "&#37;{"))


def chart_text(text: str) -> str:
    """``text`` as plotly shows it literally: its tags, entities, template fields and LaTeX
    signs written as entities, which plotly turns back into the characters on screen.

    Tags, including links and images:

    >>> chart_text('<b>x</b> <a href="http://evil.example/login">Logga in</a>')
    '&lt;b&gt;x&lt;/b&gt; &lt;a href="http://evil.example/login"&gt;Logga in&lt;/a&gt;'
    >>> chart_text("<img src=http://evil.example/p.png> <br> <span style='color:red'>")
    "&lt;img src=http://evil.example/p.png&gt; &lt;br&gt; &lt;span style='color:red'&gt;"

    Entities, LaTeX and the fields of a hover template:

    >>> chart_text("&lt; &amp; $x^2$ %{x} 12 %")
    '&amp;lt; &amp;amp; &#36;x^2&#36; &#37;{x} 12 %'

    Markdown means nothing to plotly and stays as it is:

    >>> chart_text("**fet** [Logga in](http://evil.example/login)")
    '**fet** [Logga in](http://evil.example/login)'
    """
    for character, entity in _ENTITIES:
        text = text.replace(character, entity)
    return text
