"""QR codes for public pages (inline SVG) and printed sheets (PNG data URIs), with segno."""

from __future__ import annotations

from functools import lru_cache

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, title: str = "", css_class: str = "qr", scale: int = 4) -> SafeString:
    """``data`` (usually an absolute URL) as an inline ``<svg>`` element.

    Error correction M survives a smudged or folded notice-board copy; the
    SVG has no fixed size (``viewBox`` only), so CSS sizes it on screen and
    on paper. ``title`` becomes the accessible name of the image.
    """
    code = segno.make(data, error="m", micro=False)
    svg = code.svg_inline(
        scale=scale,
        border=4,  # the quiet zone the standard asks for: readers need it
        title=title or None,  # segno escapes it
        svgclass=css_class,
        lineclass=None,
        omitsize=True,
    )
    if title:
        svg = svg.replace("<svg ", '<svg role="img" ', 1)
    else:
        svg = svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    # segno builds the markup from the matrix and escapes the title.
    return mark_safe(svg)  # noqa: S308


@lru_cache(maxsize=4096)
def qr_png_data_uri(data: str) -> str:
    """``data`` as a tiny PNG ``data:`` URI, two pixels per module, for PDFs.

    perf: WeasyPrint draws a PNG far faster than it parses an SVG path of the
    same code (a 400-procedure sheet: 24 s with SVG, see docs/performance.md);
    print it with ``image-rendering: pixelated`` so that modules stay sharp.
    Cached: a sheet printed again, or another sheet of the same procedures,
    does not encode its codes again (segno takes about 8 ms a code).
    """
    return str(segno.make(data, error="m", micro=False).png_data_uri(scale=2, border=4))
