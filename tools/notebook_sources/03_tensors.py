# %% [markdown]
# # 03 · Tensors
#
# In notebooks 01 and 02 every number was its own `Value`, with its own little node in
# the graph. Real networks handle millions of numbers, so libraries group them into
# **tensors**: n-dimensional arrays of numbers of one type, that an operation processes
# all at once.
#
# This notebook is about tensors themselves: how to make them, what type their numbers
# have, what shape they have, how to look at the same numbers with another shape, how they
# share memory with NumPy, and on which device they live. Gradients come back in
# notebook 04.
#
# minitensor's tensors behave like PyTorch's: the same names, the same printed output,
# the same errors. Everything here works with `import torch as mt` too.

# %%
import numpy as np

import minitensor as mt

# %% [markdown]
# ## Two ways to make a tensor from a list
#
# `mt.tensor(data)` looks at the numbers and picks a type for them. `mt.Tensor(data)`
# (capital T) always makes 32-bit floats. Look at the dots in the output: `1.` is a
# float, `1` would be an integer. A tensor prints row by row, like nested lists.

# %%
t = mt.Tensor([[1, 2, 3], [4, 5, 6]])
print(t)
print(t.shape)

# %% [markdown]
# ## dtypes: what kind of number
#
# Every tensor has one **dtype** for all its numbers. From Python integers `mt.tensor`
# makes `int64`; from Python floats it makes `float32` (not `float64` like NumPy: 32 bits
# are precise enough for deep learning and twice as fast to move around).

# %%
print(mt.tensor(1))
print(mt.tensor([1, 2, 3]), mt.tensor([1, 2, 3]).dtype)
print(mt.tensor([1.0, 2.0, 3.0]).dtype)
print(mt.Tensor([2.0]).dtype)

# %% [markdown]
# ## Changing the dtype
#
# `.double()` gives a `float64` copy, `.float()` a `float32` one, and `.to(dtype)` any
# dtype. A tensor whose dtype is not the default one says so when it prints.

# %%
print(mt.Tensor([2.0]).double().dtype)
print(mt.Tensor([2.0]).double())
print(mt.tensor([1, 2, 3]).to(mt.float32))

# %% [markdown]
# ## Mixing dtypes: promotion
#
# When an operation gets two dtypes, the result takes the "bigger" one: an integer tensor
# times a float gives floats, and `float32` with `float64` gives `float64`. A plain
# Python number does not widen a float tensor: `float32 * 2.5` stays `float32`.

# %%
ints = mt.tensor([1, 2])
print(ints * 1.5)
print((ints * mt.tensor([1.0, 2.0])).dtype)
print((mt.tensor([1.0]) * mt.tensor([1.0]).double()).dtype)
print((mt.tensor([1.0]) * 2.5).dtype)

# %% [markdown]
# ## Tensors made for you
#
# `zeros`, `ones` and `arange` fill a tensor with a pattern; `randn` draws from the normal
# distribution. `mt.manual_seed(n)` makes the random numbers the same on every run (they
# are not the same numbers PyTorch draws: the two libraries use different generators).

# %%
print(mt.zeros(2, 3))
print(mt.ones(4))
print(mt.arange(5))
print(mt.arange(0, 1, 0.25))

# %% [markdown]
# ## Random numbers you can repeat
#
# Seed, draw, seed again with the same number, draw again: the two draws are identical.

# %%
mt.manual_seed(0)
r1 = mt.randn(2, 3)
mt.manual_seed(0)
r2 = mt.randn(2, 3)
print(r1)
print("same numbers after the same seed:", (r1 == r2).all().item())

# %% [markdown]
# ## Shapes, from 0-d to 3-d
#
# A single number is a **0-d** tensor: its shape is empty, `Size([])`. A list makes a 1-d
# tensor, a list of lists 2-d, and so on. Look at how the 3-d one prints: two 2x2 blocks,
# separated by a blank line (the first index picks the block).

# %%
for data in [1, [1, 2, 3], [[1, 2], [3, 4]], [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]]:
    x = mt.tensor(data)
    print(x)
    print(x.shape, "ndim =", x.ndim)
    print()

# %% [markdown]
# The same with floats. A number written as `1.` is a float, and one float in a list is
# enough to make the whole tensor `float32`. The text is PyTorch's, character for character:
# the 3-d tensor of 12 numbers prints as two 2×3 blocks, and its numbers are padded to the
# width of the widest one, `12.`.

# %%
for data in [
    1.0,
    [1.0, 2, 3, 4],
    [[1.0, 1], [2, 2], [3, 3]],
    [[[1.0, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]],
]:
    x = mt.tensor(data)
    print(x)
    print(x.shape)
    print()

# %% [markdown]
# ## Reshape, view, transpose, matrix product
#
# `reshape` and `view` show the same numbers with another shape (here a column of 4
# rows). `.T` swaps rows and columns. `matmul`, or the `@` operator, is the matrix
# product: row i of the first times column j of the second, summed.

# %%
t = mt.tensor([[1, 2], [3, 4]])
print(t.reshape(4, 1))
print(t.view(4, 1))
print(t.T)

# %% [markdown]
# Now the product of `t` with its transpose. Entry (0, 1) is row 0 of `t` times column 1
# of `t.T`, that is $1 \cdot 3 + 2 \cdot 4 = 11$. The wider numbers make PyTorch pad the
# narrower ones with a space, so the columns line up.

# %%
print(t.matmul(t.T))
print(t @ t.T)

# %% [markdown]
# ## A view shares memory
#
# A view does not copy: it is a new way of reading the same memory. Write through the
# view and the original changes too.

# %%
t = mt.tensor([[1, 2], [3, 4]])
v = t.view(4)
v[0] = 100
print(t)

# %% [markdown]
# ## What `view` refuses
#
# The numbers of `t` sit in memory in the order 1, 2, 3, 4 (row by row). `t.T` reads
# them in another order (1, 3, 2, 4): it is not **contiguous**. A view can only change
# how memory is read, not reorder it, so `t.T.view(4)` is impossible. The error message
# tells you what to do.

# %%
t = mt.tensor([[1, 2], [3, 4]])
print(t.is_contiguous(), t.T.is_contiguous())

# %% [markdown]
# So viewing `t.T` as a flat row of 4 numbers fails:

# %% tags=["raises-exception"]
t.T.view(4)

# %% [markdown]
# `reshape` gives a view when it can and a copy when it must, so it always works. Use
# `view` when you *want* shared memory (and an error if that is impossible), `reshape`
# otherwise.

# %%
print(t.T.reshape(4))

# %% [markdown]
# ## NumPy and tensors share memory
#
# `mt.from_numpy(array)` wraps a NumPy array without copying, and `tensor.numpy()` gives
# the tensor's numbers as a NumPy array, again without copying. The dtype carries over:
# NumPy's default `float64` stays `float64`.

# %%
x = np.array([[1, 1], [3, 3.0]])
y = mt.from_numpy(x)
z = y.numpy()
print(y)
print(x.dtype, y.dtype, z.dtype)

# %% [markdown]
# All three are the same memory. A write to any of them shows in the other two.

# %%
x[0, 0] = 100
print(y)
y[1, 1] = -1
print(z)

# %% [markdown]
# `mt.tensor(array)` copies instead: later changes to the array do not reach it. Use
# it when you want your own data.

# %%
a = np.arange(4.0)
shared = mt.from_numpy(a)
copied = mt.tensor(a)
a[0] = 10
print(shared)
print(copied)

# %% [markdown]
# ## Devices: CPU or GPU
#
# Every tensor lives on a **device**. On the CPU its numbers are a NumPy array; on a GPU
# (the device is called `"cuda"`, as in PyTorch) they are a CuPy array in the graphics
# card's memory, and every operation runs there. You choose the device when you make a
# tensor (`device=...`) or move one with `.to("cuda")` and `.cpu()`.
#
# The usual pattern picks the GPU if there is one. The printed result below is the same
# on every computer, because `.cpu()` brings it back before printing.

# %%
device = "cuda" if mt.cuda.is_available() else "cpu"
x = mt.arange(6.0, device=device).reshape(2, 3)
row_sums = (x * 2).sum(dim=1)
print(row_sums.cpu())

# %% [markdown]
# Which device did it use? That depends on your computer: `True` and `cuda:0` on a computer
# with a GPU, `False` and `cpu` without.

# %% tags=["nbval-ignore-output"]
print(mt.cuda.is_available(), x.device)

# %% [markdown]
# ## Asking for a GPU that is not there
#
# On a computer without a GPU (or without CuPy), asking for `"cuda"` fails with the same
# `AssertionError` PyTorch gives, plus a line saying how to get GPU support. On a
# computer with a GPU this cell simply makes the tensor.

# %% tags=["raises-exception", "nbval-ignore-output"]
mt.zeros(2, device="cuda")

# %% [markdown]
# A device name minitensor does not know is an error on every computer. minitensor knows
# only `"cpu"` and `"cuda"` (PyTorch's list is longer). Notebook 08 runs a whole
# training on the GPU.

# %% tags=["raises-exception"]
mt.zeros(2, device="gpu")

# %% [markdown]
# ## Exercises
#
# Replace `...` with your answer and run the cell. Worked solutions are in
# `solutions/03_tensors.py`.
#
# **03.1** Predict the shape of `mt.zeros(2, 3, 4).reshape(4, -1).T` (a `-1` in `reshape`
# means "whatever size makes the count of numbers right"). Answer with a tuple such as
# `(1, 2)`, then check it by running the expression.

# %%
from exercises import check

answer = ...  # the shape, as a tuple
check("03.1", answer)

# %% [markdown]
# **03.2** What is the dtype of `mt.tensor([1, 2]) * 0.5`? Answer with a dtype such as
# `mt.int64`.

# %%
answer = ...  # a dtype
check("03.2", answer)

# %% [markdown]
# **03.3** Predict the number printed at the end, without running the code first:
#
# ```python
# a = np.arange(4.0)
# t = mt.from_numpy(a)
# u = mt.tensor(a)
# a[0] = 10
# print((t[0] + u[0]).item())
# ```

# %%
answer = ...  # a number
check("03.3", answer)

# %% [markdown]
# **03.4** (write a function) Write `normalize_rows(t)`: for a 2-d float tensor `t`, a new
# tensor of the same shape in which each row is divided by the sum of that row, so that
# every row sums to 1. Do not change `t` itself. Use one division with broadcasting (no
# Python loop). The check runs it on tensors of several shapes, square and not.


# %%
def normalize_rows(t): ...  # your code


answer = ...  # your answer: the function normalize_rows
check("03.4", answer)
