"""Pictures that fit the notebook's column and stay readable.

A notebook's output column is about 950 CSS pixels wide (a 1400-pixel window in
JupyterLab); a graph drawn left to right can be several times wider. Two things
keep a picture inside the column:

* The direction. A shallow graph (few steps from the inputs to the output) is
  drawn left to right, the way micrograd draws it; a long chain is drawn top to
  bottom, where its length goes down the page instead of across it.
  `narrower` picks, between the two, the one that needs less shrinking.
* The size. `fit_to_column` gives a wide SVG ``width="100%"``: the browser then
  scales it to the width of the output (keeping its proportions), whatever the
  window. If that would make its text too small to read, the picture keeps a
  readable size instead and the output scrolls sideways.

Graphviz writes the size of a picture in points (``width="1742pt"``); a CSS
pixel is 3/4 of a point, and Graphviz's text is 14 points (about 18.7 px).
"""

from __future__ import annotations

import re

PX_PER_PT = 4 / 3
FONT_PX = 14 * PX_PER_PT  # Graphviz's default font size (14 pt), in CSS pixels
COLUMN_PX = 950  # the output column of a notebook in a 1400-pixel-wide window
NATURAL_PX = 800  # pictures up to this wide are shown at their own size
MIN_FONT_PX = 10  # never shrink a picture's text below this (at COLUMN_PX)
# Wider than this, a picture fitted to the column would have text under MIN_FONT_PX.
MAX_FITTED_PX = COLUMN_PX * FONT_PX / MIN_FONT_PX
# Left to right is kept while it needs at most this much shrinking to fit the column.
SHRINK_OK = 0.7

_SIZE = re.compile(r'<svg width="(?P<width>[\d.]+)pt" height="(?P<height>[\d.]+)pt"')


def size_px(svg: str) -> tuple[float, float]:
    """The (width, height) of a Graphviz SVG in CSS pixels, at its own size."""
    match = _SIZE.search(svg)
    if match is None:
        raise ValueError("not an SVG picture from Graphviz: no width and height in points")
    return float(match["width"]) * PX_PER_PT, float(match["height"]) * PX_PER_PT


def shrink(svg: str) -> float:
    """How much the picture must be scaled to fit the column (1.0: it fits as it is)."""
    return min(1.0, COLUMN_PX / size_px(svg)[0])


def narrower(left_to_right, top_to_bottom):
    """The drawing to show of two layouts of one graph (each drawn only if needed).

    Args:
        left_to_right, top_to_bottom: functions returning the `Drawing` in each direction.

    The sizes compared are those of the bundled Graphviz (`Drawing.bundled_svg`), so
    the choice is the same on every machine, with or without a system ``dot``.
    """
    wide = left_to_right()
    if shrink(wide.bundled_svg()) >= SHRINK_OK:
        return wide
    tall = top_to_bottom()
    return tall if shrink(tall.bundled_svg()) > shrink(wide.bundled_svg()) else wide


def fit_to_column(svg: str) -> str:
    """The SVG with a width that fits the notebook's column (see the module's text).

    Up to `NATURAL_PX` wide it is left as drawn. Wider, it gets ``width="100%"``
    (no height: the browser keeps the proportions of its ``viewBox``). Too wide to
    shrink that far and stay readable, it gets the width at which its text is
    `MIN_FONT_PX` pixels high, and the output scrolls sideways.
    """
    match = _SIZE.search(svg)
    if match is None:
        return svg
    width = float(match["width"]) * PX_PER_PT
    if width <= NATURAL_PX:
        return svg
    if width <= MAX_FITTED_PX:
        size = 'width="100%"'
    else:
        scale = MIN_FONT_PX / FONT_PX
        height = float(match["height"]) * PX_PER_PT
        size = f'width="{width * scale:.0f}px" height="{height * scale:.0f}px"'
    return svg[: match.start()] + f"<svg {size}" + svg[match.end() :]
