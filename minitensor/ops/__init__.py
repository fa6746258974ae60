"""The differentiable operations, one module per family.

Each operation is a `minitensor.autograd.Function` whose forward computes on
arrays and whose backward is written with tensor operations, next to it.

Read first (the core): ``broadcast.py``, ``operands.py``, ``arithmetic.py``,
``unary.py``, ``reduce.py`` (with ``reduction_rules.py``), ``matmul.py``, then
``shape.py``. The other modules here are what networks use (``softmax``,
``activations``, ``compare``, ``extremes``, ``selection``, ``indexing``,
``join``, ``inplace``, ``convert``, ``power``, ``unary_backward``) and the
argument checks (``dims``, ``single_dim``, ``matmul_checks``); ``more/`` holds
the operations kept for PyTorch completeness.
"""
