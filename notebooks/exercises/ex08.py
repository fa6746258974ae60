"""Checks for the exercises of notebook 08 (the GPU)."""

import math

from exercises import Exercise


def _device_type(answer) -> str:
    """ "cuda", "cuda:0", mt.device("cuda", 0) -> "cuda"; "cpu" -> "cpu"."""
    return str(answer).strip().strip("'\"").split(":")[0].lower()


def _are_devices(expected: tuple[str, ...]):
    """A check that accepts device names or device objects, one per tensor."""

    def is_right(answer) -> bool:
        if isinstance(answer, str):
            return False  # one name for three tensors
        names = [_device_type(a) for a in answer]
        return names == list(expected)

    return is_right


EXERCISES = {
    "08.1": Exercise(
        question="The devices of a = ones(3, device='cuda'), b = a.cpu() * 2, c = b.to('cuda') + a",
        # An operation's result is on its inputs' device: b is made from a CPU copy,
        # c from two tensors on the GPU.
        is_right=_are_devices(("cuda", "cpu", "cuda")),
        hint="Follow each line: .cpu() and .to() return copies on the named device, and an "
        "operation puts its result where its inputs are.",
    ),
    "08.2": Exercise(
        question="Which line fixes model.to('cuda'); X.to('cuda'); model(X)?",
        # Tensor.to returns a new tensor: only an assignment keeps it (Module.to moves in place).
        is_right=lambda answer: str(answer).strip().strip("()").lower() == "b",
        hint="For a tensor, .to() and .cuda() return a NEW tensor and leave X where it was. "
        "The model is already on the GPU.",
    ),
    "08.3": Exercise(
        question="Copies to the GPU per epoch when each batch of 64 (of 1,437 rows) is moved",
        # ceil(1437 / 64) batches, each moving two tensors (xb and yb).
        is_right=lambda answer: int(answer) == 2 * math.ceil(1437 / 64),
        hint="How many batches of 64 cover 1,437 rows (the last one is smaller)? Each batch "
        "moves two tensors.",
    ),
}
