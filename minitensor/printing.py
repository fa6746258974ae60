"""Turn a tensor's values into the text PyTorch would print for it.

This module reproduces ``repr(torch_tensor)`` from PyTorch 2.13 character for
character, except that it says ``minitensor`` where PyTorch says ``torch``::

    >>> import numpy as np
    >>> format_tensor(np.array([1.0, 2.5]), dtype_name="float64", requires_grad=True)
    'tensor([1.0000, 2.5000], dtype=minitensor.float64, requires_grad=True)'

It only needs NumPy: it knows nothing about the rest of minitensor, so a tensor
class hands it a NumPy array plus a few facts (dtype name, device, autograd
state) and gets a string back.

How PyTorch prints a tensor, in four steps (each one is a function below):

1. Decide whether to *summarise*: a tensor with more than ``threshold``
   elements shows only ``edgeitems`` entries at each end of every dimension,
   with ``...`` in between.
2. Build one *formatter* for the whole tensor (``_Formatter``). It looks at all
   the values that will be shown and picks a single style (integer-looking
   floats, fixed point or scientific) and a single column width, so that the
   columns line up across every row.
3. Lay the formatted values out as nested brackets, wrapping long rows at
   ``linewidth`` and indenting so that everything lines up under ``tensor(``.
4. Append the suffixes (``device=``, ``size=``, ``dtype=``, ``grad_fn=`` or
   ``requires_grad=``), moving them to a new line when the line gets too long.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

# --------------------------------------------------------------------------
# Print options
# --------------------------------------------------------------------------


@dataclasses.dataclass
class PrintOptions:
    """The knobs that control printing (the same ones as ``torch.set_printoptions``).

    precision: digits after the decimal point for floats.
    threshold: tensors with more elements than this are summarised with ``...``.
    edgeitems: how many entries to keep at each end of a dimension when summarising.
    linewidth: rows of a 1-d slice wrap once they would pass this many characters.
    sci_mode: True/False forces scientific notation on/off; None lets the
        formatter choose from the values.
    """

    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


PRINT_OPTS = PrintOptions()

# Named presets for ``set_printoptions(profile=...)``. A profile sets these four
# options; any option passed explicitly alongside it wins.
_PROFILES: dict[str, dict[str, float]] = {
    "default": dict(precision=4, threshold=1000, edgeitems=3, linewidth=80),
    "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
    "full": dict(precision=4, threshold=math.inf, edgeitems=3, linewidth=80),
}


def set_printoptions(
    precision=None,
    threshold=None,
    edgeitems=None,
    linewidth=None,
    profile=None,
    sci_mode=None,
) -> None:
    """Change the global print options, with the semantics of ``torch.set_printoptions``.

    Options left as None keep their current value, with one exception copied
    from PyTorch: ``sci_mode`` is *always* overwritten, so any call that does
    not mention it switches back to automatic choice (None).
    An unknown profile name is ignored, as in PyTorch.
    """
    if profile in _PROFILES:
        for name, value in _PROFILES[profile].items():
            setattr(PRINT_OPTS, name, value)
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict:
    """Return the current options as a dict that can be fed back to ``set_printoptions``."""
    return dataclasses.asdict(PRINT_OPTS)


# --------------------------------------------------------------------------
# Dtypes
# --------------------------------------------------------------------------

_NUMPY_DTYPES = {
    "float16": np.float16,
    "float32": np.float32,
    "float64": np.float64,
    "int8": np.int8,
    "int16": np.int16,
    "int32": np.int32,
    "int64": np.int64,
    "uint8": np.uint8,
    "bool": np.bool_,
}
_FLOAT_DTYPES = {"float16", "float32", "float64"}
_NAME = "minitensor"  # printed where PyTorch prints "torch": dtype=minitensor.int32

# These dtypes are the ones you get "by default" (float32 for 1.5, int64 for 1,
# bool for True), so the printed values already tell the reader the dtype and
# PyTorch leaves ``dtype=`` out. Every other dtype is spelled out.
_IMPLIED_DTYPES = {"float32", "int64", "bool"}


# --------------------------------------------------------------------------
# Step 1: which values will be shown?
# --------------------------------------------------------------------------


def _shown_values(arr: np.ndarray) -> np.ndarray:
    """Return, as a flat array, the elements that a summarised print will show.

    Along every dimension longer than ``2 * edgeitems`` only the first and last
    ``edgeitems`` entries survive. The formatter measures only these values:
    a huge number hidden behind ``...`` does not widen the columns or switch
    the tensor to scientific notation. (With edgeitems=0 nothing is kept; the
    print is then just "..." and the formatter has nothing to measure.)
    """
    edge = PRINT_OPTS.edgeitems
    if arr.ndim == 0:
        return arr.reshape(-1)
    n = arr.shape[0]
    keep = list(range(n))
    if n > 2 * edge:
        keep = keep[:edge] + keep[n - edge :]
    if arr.ndim == 1:
        return arr[keep]
    pieces = [_shown_values(arr[i]) for i in keep]
    return np.concatenate(pieces) if pieces else arr.reshape(-1)[:0]


# --------------------------------------------------------------------------
# Step 2: one formatter for the whole tensor
# --------------------------------------------------------------------------


class _Formatter:
    """Chooses one style and one column width, then formats single values.

    For floats there are three styles, decided from the finite, non-zero values
    only (zeros, nan and inf say nothing about the scale of the data):

    * integer mode, when every such value is a whole number: ``1.``, ``-3.``
      (the trailing dot says "this is a float"; nan/inf get no dot);
    * scientific mode, ``1.0240e+02``, when the values span more than three
      orders of magnitude (max / min > 1000), or max > 1e8, or min < 1e-4.
      ``PRINT_OPTS.sci_mode`` overrides this choice when it is not None;
    * otherwise fixed point with ``precision`` decimals: ``0.1235``.

    Integer mode and scientific mode can combine: whole numbers with a wide
    range are printed in scientific notation.

    The width is the longest formatted finite non-zero value, at least 1.
    Zeros, nan and inf were not measured, so they may come out wider than the
    column (``-0.``, ``nan``); they are simply not padded then.
    """

    def __init__(self, shown: np.ndarray, is_float: bool):
        self.is_float = is_float
        self.int_mode = True
        self.sci_mode = False
        self.width = 1
        shown = shown.reshape(-1)  # only the values matter, not their layout

        if not is_float:
            # Integers and bools print as Python would print them.
            for value in shown.tolist():
                self.width = max(self.width, len(str(value)))
            return

        informative = shown[np.isfinite(shown) & (shown != 0)]
        if informative.size == 0:
            # Only zeros / nan / inf: keep integer mode, no scientific notation
            # (even if PRINT_OPTS.sci_mode is True) and width 1.
            return

        # Measure the range in float64 so float16 cannot overflow on the way.
        magnitudes = np.abs(informative).astype(np.float64)
        smallest, largest = float(magnitudes.min()), float(magnitudes.max())

        self.int_mode = bool(np.all(informative == np.ceil(informative)))
        if PRINT_OPTS.sci_mode is None:
            self.sci_mode = largest / smallest > 1000.0 or largest > 1.0e8 or smallest < 1.0e-4
        else:
            self.sci_mode = bool(PRINT_OPTS.sci_mode)

        for value in informative.tolist():
            self.width = max(self.width, len(self._text(value)))

    def _text(self, value) -> str:
        """The value in the chosen style, without padding."""
        if not self.is_float:
            return str(value)
        if self.sci_mode:
            return f"{value:.{PRINT_OPTS.precision}e}"
        if self.int_mode:
            text = f"{value:.0f}"
            return text if math.isinf(value) or math.isnan(value) else text + "."
        return f"{value:.{PRINT_OPTS.precision}f}"

    def format(self, value) -> str:
        """The value right-aligned in the shared column width."""
        return self._text(value).rjust(self.width)


# --------------------------------------------------------------------------
# Step 3: nested brackets
# --------------------------------------------------------------------------


def _format_row(row: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    """Format a 1-d slice, wrapping it into several lines if it is too long.

    ``indent`` is the column the opening ``[`` sits in; continuation lines
    start one column further right, under the first value.
    """
    edge = PRINT_OPTS.edgeitems
    # Every item takes its width plus the ", " that follows it.
    per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / (fmt.width + 2)))

    if summarize and not edge:
        items = ["..."]
    elif summarize and len(row) > 2 * edge:
        # " ..." counts as one item; its leading space gives "3,  ..., 7".
        head = [fmt.format(v) for v in row[:edge].tolist()]
        tail = [fmt.format(v) for v in row[len(row) - edge :].tolist()]
        items = [*head, " ...", *tail]
    else:
        items = [fmt.format(v) for v in row.tolist()]

    lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _format_nested(arr: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    """Format a tensor of any rank by recursing into its first dimension.

    Sub-blocks are separated by a comma and ``ndim - 1`` newlines, so rows of a
    matrix are on consecutive lines, matrices of a 3-d tensor have one blank
    line between them, 4-d blocks two blank lines, and so on.
    """
    if arr.ndim == 0:
        return fmt.format(arr.item())
    if arr.ndim == 1:
        return _format_row(arr, indent, summarize, fmt)

    edge = PRINT_OPTS.edgeitems
    n = arr.shape[0]
    if summarize and n > 2 * edge:
        # With edgeitems=0 this is just ["..."].
        head = [_format_nested(arr[i], indent + 1, summarize, fmt) for i in range(edge)]
        tail = [_format_nested(arr[i], indent + 1, summarize, fmt) for i in range(n - edge, n)]
        parts = [*head, "...", *tail]
    else:
        parts = [_format_nested(arr[i], indent + 1, summarize, fmt) for i in range(n)]

    separator = "," + "\n" * (arr.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(parts) + "]"


# --------------------------------------------------------------------------
# Step 4: suffixes
# --------------------------------------------------------------------------


def _append_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    """Append ``, suffix`` items and the closing parenthesis.

    A suffix goes on a new line (indented under the first value) when the
    current line would pass ``linewidth``. PyTorch's bookkeeping counts the
    current line as two characters longer than it really is, and then adds 2
    more for the ", " separator; we copy that arithmetic so suffixes wrap at
    exactly the same place.

    Our output must be PyTorch's with "torch" renamed, line breaks included,
    so a suffix is measured as PyTorch spells it: "dtype=torch.int32", not the
    five characters longer "dtype=minitensor.int32".
    """
    line_len = len(text.split("\n")[-1]) + 2
    out = [text]
    for suffix in suffixes:
        width = len(suffix.replace(_NAME + ".", "torch."))
        if line_len + width + 2 > PRINT_OPTS.linewidth:
            out.append(",\n" + " " * indent + suffix)
            line_len = indent + width
        else:
            out.append(", " + suffix)
            line_len += width + 2
    out.append(")")
    return "".join(out)


# --------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------


def format_tensor(
    values,
    *,
    dtype_name: str,
    device: str = "cpu",
    requires_grad: bool = False,
    grad_fn_name: str | None = None,
    is_parameter: bool = False,
) -> str:
    """The full repr, e.g. ``"tensor([1., 2.], dtype=minitensor.float64, requires_grad=True)"``.

    values: a NumPy array holding the tensor's elements (any shape, including
        0-d and empty), already on the host. It is converted to ``dtype_name``.
    dtype_name: "float16", "float32", "float64", "int8", "int16", "int32",
        "int64", "uint8" or "bool".
    device: "cpu" or e.g. "cuda:0"; anything that is not a CPU device is shown.
    grad_fn_name: e.g. "MulBackward0"; shown as ``grad_fn=<MulBackward0>``
        instead of ``requires_grad=True``.
    is_parameter: print like ``nn.Parameter``: "Parameter containing:" on its
        own line above the usual repr.
    """
    if dtype_name not in _NUMPY_DTYPES:
        raise ValueError(f"unknown dtype name {dtype_name!r}")
    arr: np.ndarray = np.asarray(values).astype(_NUMPY_DTYPES[dtype_name], copy=False)

    prefix = "tensor("
    indent = len(prefix)  # nested rows line up under the first "["
    suffixes = []

    if device.split(":")[0] != "cpu":
        suffixes.append(f"device='{device}'")

    size_suffix = f"size={tuple(arr.shape)}"
    dtype_suffix = f"dtype={_NAME}.{dtype_name}"
    if arr.size == 0:
        # "[]" alone does not reveal the shape (unless it is 1-d) nor the
        # dtype, so both are printed; only float32 stays implied.
        body = "[]"
        if arr.ndim != 1:
            suffixes.append(size_suffix)
        if dtype_name != "float32":
            suffixes.append(dtype_suffix)
    else:
        summarize = arr.size > PRINT_OPTS.threshold
        if not PRINT_OPTS.edgeitems:
            # With edgeitems=0 a summary shows no values at all, so PyTorch
            # always reports the shape (even when nothing is summarised).
            suffixes.append(size_suffix)
        if dtype_name not in _IMPLIED_DTYPES:
            suffixes.append(dtype_suffix)
        shown = _shown_values(arr) if summarize else arr
        fmt = _Formatter(shown, is_float=dtype_name in _FLOAT_DTYPES)
        body = _format_nested(arr, indent, summarize, fmt)

    if grad_fn_name is not None:
        suffixes.append(f"grad_fn=<{grad_fn_name}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")

    text = _append_suffixes(prefix + body, suffixes, indent)
    return "Parameter containing:\n" + text if is_parameter else text
