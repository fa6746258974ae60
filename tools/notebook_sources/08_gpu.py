# %% [markdown]
# # 08 · The same code on a GPU
#
# A **GPU** (a graphics card) has thousands of simple cores and its own memory. It is built
# to do the same arithmetic on many numbers at once, which is exactly what a tensor
# operation is: a matrix product, a ReLU over a million numbers. That is why deep learning
# runs on GPUs.
#
# PyTorch calls an NVIDIA GPU `"cuda"` (after NVIDIA's programming platform), and so does
# minitensor. minitensor computes on it with **CuPy**, a library that works like NumPy but
# keeps its arrays in the GPU's memory. The training code from notebook 07 runs there with
# one change: a `device`.
#
# This notebook runs on every computer. Where there is no GPU it says so, explains what
# would happen, and runs the same code on the CPU.

# %%
import time

import minitensor as mt
from minitensor import nn, optim
from minitensor.nn import functional as F
from minitensor.datasets import load_digits_split
from minitensor.utils.data import DataLoader, TensorDataset

# %% [markdown]
# ## What is a device?
#
# Every tensor has a `.device`: the memory its numbers live in. `cpu` is the computer's main
# memory (the numbers are a NumPy array); `cuda:0` is the memory of the first GPU (a CuPy
# array), `cuda:1` the second's, and so on. Plain `"cuda"` means the current GPU, number 0.
#
# Naming a device needs no GPU: a `mt.device` is only a label.

# %%
x = mt.tensor([1.0, 2.0, 3.0])
print("x lives on:", x.device)
print(mt.device("cuda"), "|", mt.device("cuda:1"), "|", repr(mt.device("cuda", 0)))

# %% [markdown]
# ## Is there a GPU here?
#
# `mt.cuda.is_available()` answers without ever raising an error: it is `True` when CuPy is
# installed and finds a GPU. The usual pattern picks the GPU when there is one and the CPU
# otherwise; everything after that is written once, with `device`.
#
# The answer depends on your computer. Without a GPU, asking for `"cuda"` gives PyTorch's
# `AssertionError`, plus a hint on how to get one.

# %% tags=["nbval-ignore-output"]
print("GPU available:", mt.cuda.is_available(), "  GPUs:", mt.cuda.device_count())
device = "cuda" if mt.cuda.is_available() else "cpu"
print("this notebook trains on:", device)
if device == "cpu":
    try:
        mt.zeros(2, device="cuda")
    except AssertionError as error:
        print("asking for cuda here gives: AssertionError:", error)

# %% [markdown]
# ## Getting a GPU to work
#
# You need an NVIDIA GPU with its driver: the command `nvidia-smi` (in a terminal) lists the
# GPU and the CUDA version the driver supports. Then install the CuPy build for that CUDA
# version into the same environment as minitensor, for CUDA 12:
#
# ```
# pip install cupy-cuda12x
# ```
#
# (in this repository, `pip install -e ".[gpu]"` does the same). Restart the kernel, and
# `mt.cuda.is_available()` returns `True`. Free GPUs are available on Google Colab and
# Kaggle notebooks, if your computer has none.

# %% [markdown]
# ## The rules of devices, shown on a stand-in GPU
#
# To see the device rules at work on *any* computer, we borrow a tool from minitensor's test
# suite: `backend.use_standin_gpu()` makes `"cuda"` a **stand-in** device served by
# `array_api_strict`, the reference implementation of the Python array API standard.
#
# Be clear about what it is: **it is not a GPU**. Its numbers stay in the computer's main
# memory and it computes on the CPU (slower than plain NumPy, if anything). What it does
# copy from a real GPU is the discipline: its arrays refuse to meet arrays of another
# device, and refuse NumPy functions, exactly where CuPy's arrays would. The tests use it to
# check minitensor's GPU code without a GPU; here it shows you the rules. (On a computer
# with a real GPU, the stand-in takes the GPU's place until we turn it off.)

# %%
from minitensor import backend

backend.use_standin_gpu()
print("cuda available (the stand-in):", mt.cuda.is_available())

# %% [markdown]
# ## Moving tensors
#
# Three ways to put a tensor on the GPU: make it there (`device="cuda"`), or copy one there
# with `.to("cuda")` or its shorthand `.cuda()`. `.cpu()` copies it back. A tensor printed
# from the GPU says so with `device='cuda:0'`.
#
# Look at `x` at the end: `.to` **returns a copy** on the other device and leaves the
# original where it was.

# %%
g = x.to("cuda")
print(g)
print(mt.ones(2, device="cuda"))
print(x.cuda().device, g.cpu().device)
print("x is still on:", x.device)

# %% [markdown]
# `.to(other_tensor)` copies to the device (and dtype) of another tensor: handy when you do
# not want to write the device name again.

# %%
print(mt.zeros(3).to(g))

# %% [markdown]
# ## Every operation runs where its inputs are
#
# An operation looks at the device of its inputs, computes there, and puts its result
# there. minitensor has no global "use the GPU" switch (PyTorch has one for where *new*
# tensors are made, `torch.set_default_device`, but the rule for operations is the same).
# So the device of the inputs decides. Gradients too: `backward()` runs each step of
# the chain rule on the device of the tensors involved, so `w.grad` lives where `w` does.

# %%
mt.manual_seed(0)
w = mt.randn(3, device="cuda", requires_grad=True)
loss = (w * g).sum()
print(loss)
loss.backward()
print("w.grad:", w.grad)

# %% [markdown]
# Copying a result back to the CPU happens only when you ask for it: `.item()` and `.cpu()`
# do, and so does printing a tensor (to show its numbers).

# %%
print(loss.item())

# %% [markdown]
# ## Mixing devices is an error
#
# What if one input is on the GPU and the other on the CPU? minitensor could copy one of them
# silently, but copies between devices are slow, and a hidden copy inside a training loop
# would make it crawl without telling you. So, like PyTorch, it refuses, with PyTorch's
# message.

# %% tags=["raises-exception"]
g + x

# %% [markdown]
# The fix is to move one of them yourself, once, on purpose.

# %%
print(g + x.to(g.device))

# %% [markdown]
# ## NumPy only sees the CPU
#
# NumPy arrays live in main memory, so `.numpy()` works only for a CPU tensor. The message
# says what to do.

# %% tags=["raises-exception"]
g.numpy()

# %%
print(g.cpu().numpy())

# %% [markdown]
# ## Models move too
#
# `model.to("cuda")` moves every parameter of a model. Note a difference that trips up
# everyone once: for a **model**, `.to` moves it in place (and returns the model itself,
# for convenience); for a **tensor**, `.to` returns a new tensor, so you must write
# `X = X.to(device)`. The input of a model must be on the model's device.

# %%
mt.manual_seed(0)
layer = nn.Linear(3, 1)
print(layer.to("cuda") is layer, "| weight on:", layer.weight.device)
print(layer(g))

# %% [markdown]
# That is all there is to it: choose a device, put the model and the data there, and keep
# them together.
#
# Now we turn the stand-in off. From here on `"cuda"` means a real GPU again, if this
# computer has one. The tensors made on the stand-in belong to it, so we delete them too.

# %%
backend.use_standin_gpu(False)
del g, w, loss, layer

# %% [markdown]
# ## The same training, on `device`
#
# Here is the digits training of notebook 07, written as a function of the device: the same
# `TensorDataset` and `DataLoader`, the same `train()` and `eval()`, the same loop. The new
# lines, marked `# new`, move the data and the model to `device` at the start. The data is
# moved **once**, not batch by batch, so the `DataLoader` cuts its batches on that device.


# %%
def train_digits(device, epochs=15):
    """Notebook 07's digits MLP, trained on `device`; returns the test predictions."""
    X_train, X_test, y_train, y_test = load_digits_split(test_fraction=0.2, seed=0)
    X_train, y_train = X_train.to(device), y_train.to(device)  # new: move the data, once
    X_test, y_test = X_test.to(device), y_test.to(device)  # new
    loader = DataLoader(TensorDataset(X_train, y_train), batch_size=64, shuffle=True)

    mt.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    model.to(device)  # new: move the model
    opt = optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(epochs):
        model.train()
        for xb, yb in loader:
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    with mt.no_grad():
        predictions = model(X_test).argmax(dim=1)
    return predictions, y_test


# %% [markdown]
# Train on the device picked above (the GPU if there is one). The time depends on the
# computer.
#
# Do not expect a big speed-up from a GPU on *this* model: its matrices are tiny (64 × 128),
# and every GPU operation has a fixed cost of a few microseconds to start, which is all the
# time such a small product takes on the CPU. A GPU pays off when each operation has
# millions of numbers to work on.

# %% tags=["nbval-ignore-output"]
start = time.perf_counter()
predictions, y_test = train_digits(device)
correct = int((predictions == y_test).sum().item())
print(f"trained on {device} in {time.perf_counter() - start:.1f} s: {correct}/{len(y_test)} right")

# %% [markdown]
# ### The same count as notebook 07?
#
# On the CPU this is notebook 07's training exactly: the same data, the same seed, the same
# shuffles, the same arithmetic in the same order. So it must find the same number of right
# answers as notebook 07 did. The next cell trains on the CPU (or reuses the run above,
# if that was on the CPU) and prints the count: compare it with 07's.

# %%
if device == "cpu":
    cpu_correct = correct
else:
    cpu_predictions, cpu_labels = train_digits("cpu")
    cpu_correct = int((cpu_predictions == cpu_labels).sum().item())
print(f"on the CPU: {cpu_correct}/{len(y_test)} right, {cpu_correct / len(y_test):.1%}")

# %% [markdown]
# A GPU may differ by a digit or two. It adds up the terms of a matrix product in another
# order than the CPU, and float32 addition is not exactly associative: the last digits
# differ, and after 345 training steps the weights differ a little. In a form that holds on
# both kinds of computer:

# %%
accuracy = correct / len(y_test)
print("predictions are on the training device:", predictions.device.type == device)
print("test accuracy above 97%:", accuracy > 0.97)

# %% [markdown]
# ## When a GPU is fast: a big matrix product
#
# The function below times one 4096 × 4096 matrix product (about 137 billion floating-point
# operations) on a device. Two details matter when timing a GPU:
#
# * the first call is slower (CuPy prepares its kernels), so we run once to warm up;
# * a GPU works **asynchronously**: the call returns before the GPU has finished. Asking for a
#   number back (`.item()`) waits until it is done, so the time is honest.
#
# Without a GPU the cell only says so (timing the CPU alone would teach nothing here).


# %%
def time_matmul(device, n=4096):
    a = mt.randn(n, n, device=device)
    b = mt.randn(n, n, device=device)
    (a @ b).sum().item()  # warm-up
    start = time.perf_counter()
    (a @ b).sum().item()  # .item() waits for the result
    return time.perf_counter() - start


# %% tags=["nbval-ignore-output"]
if mt.cuda.is_available():
    cpu_seconds, gpu_seconds = time_matmul("cpu"), time_matmul("cuda")
    print(f"4096x4096 matmul: cpu {cpu_seconds * 1000:.0f} ms, cuda {gpu_seconds * 1000:.1f} ms")
    print(f"the GPU is {cpu_seconds / gpu_seconds:.0f} times faster")
else:
    print("No GPU here: this cell would time time_matmul('cpu') against time_matmul('cuda').")

# %% [markdown]
# ## What you saw
#
# * A tensor lives on a device; `device=`, `.to(...)`, `.cuda()` and `.cpu()` put it where you
#   want it. Moving is a copy.
# * Every operation, forward and backward, runs on the device of its inputs. Inputs on two
#   devices are an error, never a silent copy.
# * Models move in place with `model.to(device)`; tensors need `x = x.to(device)`.
# * The training code is the same on every device. A GPU pays off for big tensors.
#
# ## Exercises
#
# Replace `...` with your answer and run the cell. Worked solutions are in
# `solutions/08_gpu.py`.
#
# **08.1** On a computer with a GPU, on which device is each of `a`, `b` and `c`?
#
# ```python
# a = mt.ones(3, device="cuda")
# b = a.cpu() * 2
# c = b.to("cuda") + a
# ```
#
# Answer with three device names, such as `("cpu", "cpu", "cpu")`.

# %%
from exercises import check

answer = ...  # (device of a, device of b, device of c)
check("08.1", answer)

# %% [markdown]
# **08.2** This code stops with `Expected all tensors to be on the same device, but found at
# least two devices, cuda:0 and cpu!`:
#
# ```python
# model = nn.Linear(64, 10)
# model.to("cuda")
# X.to("cuda")          # X was made on the CPU
# out = model(X)
# ```
#
# Which line should replace `X.to("cuda")`? Answer `"a"`, `"b"`, `"c"` or `"d"`.
#
# * a) `X.cuda()`
# * b) `X = X.to("cuda")`
# * c) `model = model.to("cuda")`
# * d) `X.to(model)`

# %%
answer = ...  # "a", "b", "c" or "d"
check("08.2", answer)

# %% [markdown]
# **08.3** The training set `X_train, y_train` (1,437 rows) is on the CPU, and the loop moves
# each batch to the GPU:
#
# ```python
# loader = DataLoader(TensorDataset(X_train, y_train), batch_size=64, shuffle=True)
# for xb, yb in loader:
#     xb, yb = xb.to("cuda"), yb.to("cuda")
#     ...
# ```
#
# How many copies from the CPU to the GPU does one epoch make? (`train_digits` above makes
# 4 for the whole training: the two training tensors and the two test tensors, once.)

# %%
answer = ...  # a whole number
check("08.3", answer)

# %% [markdown]
# **08.4** (write a function) A batch is often more than one tensor: a tuple `(xb, yb)`, a
# dict of named inputs, or a mix with plain numbers. Write `to_device(batch, device)`: the
# same structure with every tensor moved to `device`. Tuples, lists and dicts (nested too)
# keep their kind and their keys; anything that is not a tensor (a number, a string) stays
# as it is. The check moves batches of several shapes to the stand-in GPU of this notebook
# and looks at every tensor it gets back.


# %%
def to_device(batch, device): ...  # your code


answer = ...  # your answer: the function to_device
check("08.4", answer)
