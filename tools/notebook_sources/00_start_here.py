# %% [markdown]
# # 00 · Start here
#
# Welcome to the **minitensor workbook**. In the next notebooks you will build up, piece by
# piece, the idea behind every deep-learning library: **automatic differentiation**, and
# in particular its reverse mode, **backpropagation**.
#
# You will not just read about it. Every notebook runs a real autograd engine, draws the
# computation graph it builds, and lets you *step through the backward pass one node at a
# time* and see the chain rule turn into numbers.
#
# The library is called `minitensor`. Its tensor API is PyTorch's: same names, same printed
# output, same error messages. When you are done, `import torch` instead of
# `import minitensor` and keep going.

# %% [markdown]
# ## What you will be able to do
#
# At the end of the workbook you can:
#
# * compute the gradient of a small formula **by hand**, node by node, and check it with
#   **finite differences**;
# * explain what `backward()` does: local derivatives, a topological order, gradients that
#   **add up**, and why they must be zeroed between steps;
# * predict the **shape** of every gradient of a tensor computation (matrix products,
#   broadcasting, sums and means) and say what a vector-Jacobian product is;
# * take second derivatives with `create_graph=True` and write an operation of your own
#   with `autograd.Function`;
# * write a PyTorch training loop (`zero_grad`, `backward`, `step`), run it on a GPU, and
#   recognise the classic autograd mistakes from their error messages;
# * and, in the last four notebooks, **build** a small autograd engine yourself.

# %% [markdown]
# ## How to use this workbook
#
# * Run a cell with **Shift + Enter**. Run a whole notebook with **Run → Run All Cells**.
# * If things get confusing, **Kernel → Restart Kernel and Run All Cells** starts over.
# * Some cells show an error *on purpose* (notebook 09 is all about mistakes). They are
#   tagged `raises-exception`, so Run All carries on past them.
# * Each notebook from 01 on ends with a few **exercises**. Type your answer where it says
#   `...` and run the cell: it tells you right away if you are right, or gives a hint.
#   In some exercises you write a **function**: the check runs it on several inputs and
#   tells you which one went wrong, and how.
#   Worked solutions are in the `solutions/` folder, for after you have tried.
# * Change the numbers and run again. Nothing can break.

# %% [markdown]
# ## The notebooks
#
# | | What you learn |
# |---|---|
# | 01 | A neuron with `tanh`: its graph, its gradients by hand, then `backward()`, then step by step |
# | 02 | Inside `backward()`: local derivatives, topological order, why gradients add up |
# | 03 | Tensors: creation, dtypes, shapes, views, NumPy, devices |
# | 04 | Autograd with tensors: `requires_grad`, `grad_fn`, leaves, one engine for two scales |
# | 05 | Sigmoid and binary cross-entropy: `autograd.grad` and the graph of a loss |
# | 06 | The chain rule with tensors: several paths, hooks, reductions, `backward(v)` |
# | 07 | Training networks: two moons, then handwritten digits |
# | 08 | The same code on a GPU |
# | 09 | The mistakes everyone makes with autograd, and how to fix them |
# | 10 | Tensor backward rules: the gradient of a matrix product, broadcasting, Jacobians |
# | 11 | Higher derivatives (`create_graph=True`) and operations of your own (`autograd.Function`) |
#
# Then **build it yourself**: three notebooks in which you write an autograd engine of your
# own, piece by piece, with a check after each step.
#
# | | What you build |
# |---|---|
# | 20 | `20_build_value`: a scalar `Value`, the local derivative of each operation, your own `backward()`, a training loop |
# | 21 | `21_build_tensor_backward`: the backward rules of tensors (broadcasting, `matmul`) inside a small tensor engine |
# | 22 | `22_build_function`: an operation of your own for minitensor, checked with `gradcheck`, trained as a layer |

# %% [markdown]
# ## Check your setup
#
# This cell reports what this computer has. Your numbers may differ from the ones stored in
# the notebook (versions and hardware differ between computers); what matters is that it
# runs without an error.

# %% tags=["nbval-ignore-output"]
import platform

import numpy as np

import minitensor
from minitensor import viz

print("Python     ", platform.python_version())
print("NumPy      ", np.__version__)
print("minitensor ", minitensor.__version__)
print("Graphs are drawn by", viz.renderer_name())
if minitensor.cuda.is_available():
    print("GPU        ", "available: notebook 08 will use it")
else:
    print("GPU        ", "none found: everything runs on the CPU (notebook 08 explains)")

# %% [markdown]
# ## A first graph
#
# Here is a taste of what is coming. Three numbers are combined into `e = a * b + c`.
# minitensor remembers how `e` was computed, and can draw it: each box is a number
# (its name, its value and its gradient), each oval is an operation.

# %%
from minitensor import Value

a = Value(2.0, label="a")
b = Value(-3.0, label="b")
c = Value(10.0, label="c")
e = a * b + c
e.label = "e"
viz.draw(e)

# %% [markdown]
# The gradients are all 0 for now. Notebook 01 shows how `e.backward()` fills them in,
# and what they mean. Open `01_tanh_neuron.ipynb` to begin.
