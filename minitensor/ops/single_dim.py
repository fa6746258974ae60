"""``max``, ``min`` and ``prod`` reduce along one ``dim`` at most: the check, in PyTorch's words.

``sum`` and ``mean`` take a tuple of dims; these three take one int (or
none, and then no ``keepdim``). PyTorch's argument parser refuses anything
else with a TypeError that lists the signatures it knows; so does `check_one_dim`.
"""

from __future__ import annotations


def _describe(value) -> str:
    """How PyTorch's argument parser names a value's type: 'tuple of (int, int)'."""
    if isinstance(value, tuple):
        return f"tuple of ({', '.join(type(v).__name__ for v in value)})"
    if isinstance(value, list):
        return f"list of [{', '.join(type(v).__name__ for v in value)}]"
    return type(value).__name__


_ONE_DIM_SIGNATURES = {
    "max": ("()", "(Tensor other)", "(int dim, bool keepdim = False)"),
    "prod": (
        "(*, minitensor.dtype dtype = None)",
        "(int dim, bool keepdim = False, *, minitensor.dtype dtype = None)",
    ),
}


def check_one_dim(name, dim, keepdim):
    """max, min and prod take one int dim (or none, and then no keepdim): PyTorch's TypeError."""
    if dim is None and not keepdim:
        return
    if dim is None:
        got, why = "keepdim=bool, ", "some of the keywords were incorrect: keepdim"
    elif isinstance(dim, bool) or not isinstance(dim, int):
        got = type(dim).__name__
        why = f"some of the arguments have invalid types: (!{_describe(dim)}!)"
    else:
        return
    lines = []
    for signature in _ONE_DIM_SIGNATURES["prod" if name == "prod" else "max"]:
        lines.append(f" * {signature}\n")
        if name != "prod" and "dim" not in signature:  # PyTorch explains the near misses
            lines.append(f"      didn't match because {why}\n")
    raise TypeError(
        f"{name}() received an invalid combination of arguments - got ({got}), but expected "
        "one of:\n" + "".join(lines)
    )
