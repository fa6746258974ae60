"""The differentiable operations, one module per family.

Each operation is a `minitensor.autograd.Function` whose forward computes on
arrays and whose backward is written with tensor operations, next to it.

Read first (the core): ``broadcast.py``, ``operands.py``, ``arithmetic.py``,
``unary.py``, ``reduce.py``, ``matmul.py``, then ``shape.py``.
The other modules here are what networks use (``softmax``, ``activations``,
``compare``, ``extremes``, ``selection``, ``indexing``, ``join``, ``inplace``,
``convert``, ``power``, ``unary_backward``); ``more/`` holds the operations kept
for PyTorch completeness.
"""
