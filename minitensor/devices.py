"""`device`: the name of a place where a tensor's numbers live, ``"cpu"`` or ``"cuda:0"``.

Only a name: which array library computes there is `minitensor.backend`'s
business. ``minitensor.device`` is this class.
"""

from __future__ import annotations

import builtins
import re

_DEVICE_STRING = re.compile(r"([a-zA-Z_]+)(?::([1-9]\d*|0))?")


class device:
    """Where a tensor's numbers live: ``device("cpu")``, ``device("cuda:0")``.

    Accepts the same strings as PyTorch (``"cpu"``, ``"cuda"``, ``"cuda:1"``)
    or a type and an index (``device("cuda", 0)``).
    """

    __slots__ = ("index", "type")

    def __init__(self, type: str | device, index: int | None = None):
        if isinstance(type, device):
            self.type, self.index = type.type, type.index
            return
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments: {type!r}")
        match = _DEVICE_STRING.fullmatch(type)  # "cuda:0": a name and an optional index
        if match is None or (index is not None and match[2] is not None):
            raise RuntimeError(f"Invalid device string: '{type}'")
        name = match[1]
        if match[2] is not None:
            index = builtins.int(match[2])
        if name not in ("cpu", "cuda"):
            raise RuntimeError(
                "Expected one of cpu, cuda device type at start of device string: " + name
            )
        self.type, self.index = name, index

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other) -> bool:
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))


CPU = device("cpu")
