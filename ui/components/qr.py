"""QR codes for the workshop's shared screen: participants point their phones at the join link.

The codes are made with segno, in this process; the link never goes to an outside service.
At least error correction level M (segno raises it when that fits in the same size), and the
four-module quiet border the standard asks for, so a phone can read the code off a projector.
"""

from __future__ import annotations

import base64
import html
import io

import segno
import streamlit as st

#: The quiet zone around the code, in modules (the QR standard's minimum).
BORDER = 4


def _code(text: str) -> segno.QRCode:
    # micro=False: a Micro QR code is smaller, but many phone cameras do not read it.
    return segno.make(text, error="m", micro=False)


def qr_svg(text: str, *, dark: str = "#000", light: str = "#fff") -> str:
    """The QR code for ``text`` as an SVG element (a string, no XML declaration).

    It has a viewBox and no fixed size, so it fills whatever width its container gives it. The text
    is only encoded into the pattern of modules, never written into the markup.

    >>> svg = qr_svg("https://example.org/?join=ABCDEFGH")
    >>> svg.startswith("<svg") and 'viewBox="0 0 37 37"' in svg and "<?xml" not in svg
    True
    """
    out = io.BytesIO()
    _code(text).save(out, kind="svg", border=BORDER, dark=dark, light=light, xmldecl=False, svgns=True,
                     omitsize=True, nl=False)
    return out.getvalue().decode("utf-8")


def qr_png(text: str, scale: int = 10) -> bytes:
    """The QR code for ``text`` as a PNG, ``scale`` pixels per module (for a download button).

    >>> qr_png("ABCD-EFGH")[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    out = io.BytesIO()
    _code(text).save(out, kind="png", scale=scale, border=BORDER)
    return out.getvalue()


def show_qr(text: str, *, caption: str | None = None, width_px: int = 320) -> None:
    """Draw the QR code for ``text``, at most ``width_px`` wide (narrower on a narrow screen).

    ``st.html`` passes its markup through DOMPurify, which removes inline SVG, so the SVG goes in
    as an image (a base64 data URL): it then scales as a picture and could run nothing even if it
    held a script. The SVG comes from segno and holds nothing of ``text`` but the pattern; the
    caption, also used as the image's alternative text, is escaped.
    """
    width = max(64, int(width_px))
    source = "data:image/svg+xml;base64," + base64.b64encode(qr_svg(text).encode("utf-8")).decode("ascii")
    alt = html.escape(caption or "QR", quote=True)
    caption_html = (
        f'<figcaption style="margin-top:0.5rem;text-align:center">{html.escape(caption)}</figcaption>'
        if caption else ""
    )
    st.html(
        f'<figure style="margin:0;width:{width}px;max-width:100%">'
        f'<img src="{source}" alt="{alt}" style="display:block;width:100%;height:auto;'
        f'image-rendering:pixelated">{caption_html}</figure>'
    )
