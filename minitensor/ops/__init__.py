"""The differentiable operations, one module per family.

Each operation is a `minitensor.autograd.Function` whose forward computes on
arrays and whose backward is written with tensor operations, next to it.
"""
