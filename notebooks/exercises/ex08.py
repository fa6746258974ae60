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


def _structure_problem(got, original, where: str) -> str | None:
    """What is wrong with ``got``, the moved copy of ``original`` (None if nothing)."""
    from minitensor import Tensor

    if isinstance(original, Tensor):
        if not isinstance(got, Tensor):
            return f"{where} should be a tensor, but it is a {type(got).__name__}."
        if got.device.type != "cuda":
            return (
                f"{where} is still on {got.device}: .to() returns a moved copy, it does not "
                "move the tensor itself. Use the copy."
            )
        if got.tolist() != original.tolist():
            return f"{where} has other numbers than the original."
        return None
    if isinstance(original, dict):
        if not isinstance(got, dict):
            return f"{where} should stay a dict, but it is a {type(got).__name__}."
        if list(got) != list(original):
            return f"{where} has the keys {list(got)}, expected {list(original)}."
        for key in original:
            problem = _structure_problem(got[key], original[key], f"{where}[{key!r}]")
            if problem:
                return problem
        return None
    if isinstance(original, (tuple, list)):
        if type(got) is not type(original):
            return (
                f"{where} should stay a {type(original).__name__}, but it is a "
                f"{type(got).__name__}."
            )
        if len(got) != len(original):
            return f"{where} has {len(got)} items, expected {len(original)}."
        for i, (g, o) in enumerate(zip(got, original)):
            problem = _structure_problem(g, o, f"{where}[{i}]")
            if problem:
                return problem
        return None
    if got != original:
        return f"{where} was {original!r} and came back as {got!r}: leave non-tensors alone."
    return None


def _diagnose_to_device(to_device) -> str | None:
    import minitensor as mt
    from exercises.feedback import not_a_function
    from minitensor import backend

    problem = not_a_function(to_device, "to_device")
    if problem:
        return problem
    backend.use_standin_gpu()
    try:
        cases = [
            ("a single tensor", mt.ones(2)),
            ("a tuple (xb, yb)", (mt.ones(3, 2), mt.tensor([0, 1, 1]))),
            ("a dict", {"pixels": mt.zeros(2, 4), "label": mt.tensor([3, 7])}),
            ("a list with a number and a string", [mt.arange(3.0), 64, "digits"]),
            ("a nested batch", {"pair": (mt.ones(1), [mt.zeros(2)]), "size": 2}),
            ("an empty tuple", ()),
        ]
        for what, batch in cases:
            try:
                got = to_device(batch, "cuda")
            except Exception as error:
                return f"for {what} it raised {type(error).__name__}: {error}"
            problem = _structure_problem(got, batch, "the result")
            if problem:
                return f"for {what}, {problem}"
    finally:
        backend.use_standin_gpu(False)
    return None


EXERCISES["08.4"] = Exercise(
    question="to_device(batch, device) for tensors, tuples, lists and dicts",
    diagnose=_diagnose_to_device,
    hint="Look at the kind of batch (isinstance): a tensor is moved, a dict or a tuple/list "
    "is rebuilt with to_device applied to each item (the function may call itself), "
    "anything else is returned as it is.",
)
