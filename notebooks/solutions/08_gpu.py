"""Worked solutions for notebook 08 (the GPU).

08.1: ``a`` is made on the GPU: cuda. ``a.cpu()`` is a copy in main memory, and
multiplying it by 2 computes where that copy is: ``b`` is on the cpu.
``b.to("cuda")`` copies ``b`` to the GPU, where ``a`` already is, so the sum
runs there: ``c`` is on cuda. (``"cuda:0"`` is the same answer, spelled out.)

08.2: b. ``X.to("cuda")`` returns a new tensor on the GPU and leaves ``X`` on
the CPU; without an assignment the copy is thrown away. a) ``X.cuda()`` is the
same mistake; c) the model is already on the GPU (``Module.to`` moves it in
place), so it changes nothing; d) ``to`` takes a device, a dtype or a
tensor, not a model.

08.3: 1,437 rows in batches of 64 make ceil(1437 / 64) = 23 batches (22 full
ones and a last one of 29 rows). Each batch copies two tensors, ``xb`` and
``yb``: 2 * 23 = 46 copies per epoch, every epoch, where moving the whole
training set once before the loop makes 2 in all.

08.4: one case per kind of object. A tensor: ``batch.to(device)``, the moved
copy (``.to`` never moves a tensor in place). A dict: a new dict with the same
keys and each value moved (by the same function, so nesting works). A tuple or
a list: ``type(batch)(...)`` of the moved items keeps the kind. Anything else
(an int, a string) is returned unchanged. PyTorch Lightning and Hugging Face
Accelerate ship a function like this one.
"""

SOLUTIONS = {
    "08.1": ("cuda", "cpu", "cuda"),
    "08.2": "b",
    "08.3": 46,
}


def to_device(batch, device):
    """The same structure as batch, with every tensor moved to device."""
    import minitensor as mt

    if isinstance(batch, mt.Tensor):
        return batch.to(device)
    if isinstance(batch, dict):
        return {key: to_device(value, device) for key, value in batch.items()}
    if isinstance(batch, (tuple, list)):
        return type(batch)(to_device(item, device) for item in batch)
    return batch


SOLUTIONS["08.4"] = to_device
