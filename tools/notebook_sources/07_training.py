# %% [markdown]
# # 07 · Training a network
#
# Everything so far was about *one* backward pass: given a loss, find the gradient of every
# weight. Training is that, repeated:
#
# 1. **forward**: run the network on the data and measure how wrong it is (the loss);
# 2. **backward**: `loss.backward()` fills every weight's `.grad`;
# 3. **step**: move each weight a little against its gradient, `w -= lr * w.grad`;
# 4. go back to 1.
#
# You will do it twice on the same small problem (two interleaving "moons" of points),
# first with the scalar engine `Value`, then with tensors and PyTorch's `nn` and `optim`
# API, and you will see why real libraries work with tensors. Then a real task: reading
# handwritten digits.

# %%
import numpy as np
import matplotlib.pyplot as plt

import minitensor as mt
from minitensor import nn, optim
from minitensor.nn import functional as F
from minitensor.datasets import load_digits_split, make_moons, progress
from minitensor.utils.data import DataLoader, TensorDataset

# %% [markdown]
# ## The two-moons problem
#
# Each point has two coordinates and a class, 0 or 1. The two classes are half circles that
# hook into each other, so no straight line separates them: the network has to learn a
# curved boundary. `make_moons` draws the points (seeded, so everyone gets the same ones).
#
# We take 100 points, the size of micrograd's classic demo (the network and the loss below
# are that demo's too). That is still a small data set, and it has to be: the scalar engine
# builds one graph node for every single arithmetic operation, so 100 points make a graph
# of more than 60,000 nodes for each training step.

# %%
X, y = make_moons(100, noise=0.1, seed=3)
print("X:", X.shape, X.dtype, "  y:", y.shape, y.dtype)
print(X[:3])
print(y[:3])

# %% [markdown]
# A picture says more. Look for the two hooks, and for the few noisy points near the other
# class: those are the hard ones.

# %%
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.scatter(X[:, 0].numpy(), X[:, 1].numpy(), c=y.numpy(), cmap="coolwarm", edgecolors="k")
ax.set_title("two moons: 100 points, 2 classes")
plt.show()

# %% [markdown]
# ## A network made of `Value`s
#
# `minitensor.scalar.MLP(2, [16, 16, 1])` is a multi-layer perceptron: 2 inputs, two hidden
# layers of 16 ReLU neurons, and 1 output neuron with no activation. Every weight is one
# `Value`. The output is a **score**: positive means "class 1", negative "class 0".

# %%
from minitensor.scalar import MLP

mt.manual_seed(4)  # the weights start random; the seed makes them the same every run
model = MLP(2, [16, 16, 1])
print(model)
print("number of parameters:", len(model.parameters()))

# %% [markdown]
# ## The loss: a margin, plus a little weight decay
#
# Write the labels as $y_i = \pm 1$ (class 0 becomes $-1$). A point is classified right when
# its score $s_i$ has the sign of $y_i$, that is when $y_i s_i > 0$. The **max-margin** (or
# hinge) loss asks for a little more, $y_i s_i \ge 1$, and charges the shortfall:
#
# $$\text{loss}_i = \max(0,\ 1 - y_i s_i)$$
#
# A point well on the right side costs 0 and sends no gradient; a wrong or borderline point
# pushes its score in the right direction. We average over the points and add
# $\alpha \sum_p p^2$ (with a small $\alpha = 10^{-4}$), which keeps the weights from
# growing without need (L2 regularisation, or *weight decay*).
#
# Everything below is ordinary Python arithmetic on Values, so it all lands in the graph.

# %%
inputs = X.tolist()  # plain Python lists of floats, for the scalar engine
labels = (y * 2 - 1).tolist()  # 0/1 -> -1/+1


def scalar_loss(model):
    """Mean hinge loss + L2 over the 100 points, and the accuracy."""
    scores = [model(x) for x in inputs]
    losses = [(1 + -yi * si).relu() for yi, si in zip(labels, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    correct = [(yi > 0) == (si.data > 0) for yi, si in zip(labels, scores)]
    return data_loss + reg_loss, sum(correct) / len(correct)


total, accuracy = scalar_loss(model)
print(f"before training: loss {total.data:.4f}, accuracy {accuracy:.0%}")

# %% [markdown]
# Half right: as good as a coin. How big is that graph? The engine's own
# `topological_order` lists every node reachable from the loss.

# %%
from minitensor.autograd.engine import topological_order

print("nodes in the scalar graph:", len(topological_order([total])))

# %% [markdown]
# ## The training loop
#
# The four steps from the top, written out. Two details:
#
# * `model.zero_grad()` **before** `backward()`: gradients add up (notebook 02), so last
#   step's must be cleared first;
# * the learning rate `lr` starts at 1.0 and shrinks a little every step, so the first steps
#   move fast and the later ones settle.
#
# The loop stops as soon as every point is classified right. The progress bar (from
# `minitensor.datasets.progress`, a thin wrapper around `tqdm`) shows the loss as it goes, and
# the last line prints the bar as it finished. Its times change with the speed of your
# computer.

# %% tags=["nbval-ignore-output"]
history = []
bar = progress(range(100), desc="scalar MLP")
for step in bar:
    total, accuracy = scalar_loss(model)  # 1. forward
    history.append((total.data, accuracy))
    bar.set_postfix(loss=f"{total.data:.3f}", accuracy=f"{accuracy:.0%}")
    if accuracy == 1.0:
        break
    model.zero_grad()  # 2. backward (after clearing the old gradients)
    total.backward()
    lr = 1.0 - 0.9 * step / 100  # 3. step: against the gradient
    for p in model.parameters():
        p.data -= lr * p.grad
bar.close()
print(bar)

# %% [markdown]
# The result (this cell prints the same on every computer):

# %%
print(f"stopped after {len(history) - 1} steps")
print(f"loss {history[-1][0]:.4f}, training accuracy {history[-1][1]:.0%}")

# %% [markdown]
# ### The loss, step by step
#
# `history` recorded the loss and the accuracy at every step. The loss falls fast at first,
# while the big mistakes are fixed, then slowly, with a few bumps: a step of the full size
# `lr` can overshoot.

# %%
fig, ax_loss = plt.subplots(figsize=(6, 3), dpi=90)
ax_loss.plot([h[0] for h in history], marker=".")
ax_loss.set_xlabel("step")
ax_loss.set_ylabel("loss (hinge + L2)")
ax_acc = ax_loss.twinx()
ax_acc.plot([100 * h[1] for h in history], color="tab:green", marker=".")
ax_acc.set_ylabel("training accuracy (%)", color="tab:green")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## What did it learn?
#
# The **decision boundary** is where the score crosses 0. To draw it, we ask the model for
# the score at every point of a grid and colour the plane by its sign. The helper below
# takes any `predict` function, so it can draw the tensor model later too.


# %%
def plot_boundary(ax, predict, X, y, title):
    """Colour the plane by the sign of predict(points) and draw the data on top."""
    xs = np.linspace(-1.5, 2.5, 40)
    ys = np.linspace(-1.0, 1.5, 40)
    gx, gy = np.meshgrid(xs, ys)
    grid = np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32)
    scores = np.asarray(predict(grid)).reshape(gx.shape)
    ax.contourf(gx, gy, scores > 0, cmap="coolwarm", alpha=0.35)
    ax.scatter(X[:, 0].numpy(), X[:, 1].numpy(), c=y.numpy(), cmap="coolwarm", edgecolors="k")
    ax.set_title(title)


def scalar_predict(points):
    return [model(list(p)).data for p in points]


fig, ax = plt.subplots(figsize=(5, 3.5))
plot_boundary(ax, scalar_predict, X, y, "scalar MLP (Value)")
plt.show()

# %% [markdown]
# ## The same network with tensors
#
# Now the PyTorch way. `nn.Sequential` chains layers; `nn.Linear(2, 16)` holds a 16×2
# weight matrix and 16 biases as two tensors, and computes `x @ W.T + b` for **all 100 points
# at once**. Same architecture as before: 2 → 16 → 16 → 1 with ReLUs in between.

# %%
mt.manual_seed(0)
net = nn.Sequential(
    nn.Linear(2, 16),
    nn.ReLU(),
    nn.Linear(16, 16),
    nn.ReLU(),
    nn.Linear(16, 1),
)
print(net)
print("number of parameters:", sum(p.numel() for p in net.parameters()))

# %% [markdown]
# Again 337 parameters, now in 6 tensors instead of 337 Values. The loss is the same formula,
# written with tensor operations: `scores` is a tensor of 100 numbers, and one `F.relu` applies
# the hinge to all of them.
#
# The update `p.data -= lr * p.grad` is done by an **optimizer**: `optim.SGD` keeps the list of
# parameters and applies the rule in `opt.step()`; `opt.zero_grad()` clears their gradients.
# We add *momentum* (each step also keeps 90% of the previous one), which speeds this up.

# %%
signs = (y * 2 - 1).float()  # -1/+1, as a float tensor


def tensor_loss(net):
    scores = net(X).squeeze(1)  # (100, 1) -> (100,)
    data_loss = F.relu(1 - signs * scores).mean()
    reg_loss = 1e-4 * sum((p * p).sum() for p in net.parameters())
    accuracy = ((scores > 0) == (signs > 0)).float().mean().item()
    return data_loss + reg_loss, accuracy


opt = optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
steps = 100
for _ in range(steps):
    loss, accuracy = tensor_loss(net)  # 1. forward
    opt.zero_grad()  # 2. backward
    loss.backward()
    opt.step()  # 3. step
print(f"after {steps} steps: loss {loss.item():.3f}, training accuracy {accuracy:.0%}")

# %% [markdown]
# ## Why tensors win
#
# Count the nodes of one step's graph again: a handful of tensor operations instead of tens
# of thousands of scalar ones. Each tensor node does a lot of arithmetic, but it does it
# inside NumPy's compiled loops instead of one Python object per number.

# %%
loss, _ = tensor_loss(net)
print("nodes in the tensor graph:", len(topological_order([loss.grad_fn])))

# %% [markdown]
# The time of one forward and backward pass shows the same thing. Your numbers will differ,
# but expect the tensor step to be tens to hundreds of times
# faster. And the gap grows with the data: ten times more points make the scalar step ten
# times slower (ten times more nodes), while the tensor step stays about as fast (the same
# 36 nodes, each working on longer arrays).

# %% tags=["nbval-ignore-output"]
import time

start = time.perf_counter()
total, _ = scalar_loss(model)
model.zero_grad()
total.backward()
scalar_seconds = time.perf_counter() - start

start = time.perf_counter()
loss, _ = tensor_loss(net)
opt.zero_grad()
loss.backward()
tensor_seconds = time.perf_counter() - start
print(f"one step, scalar engine: {scalar_seconds * 1000:8.1f} ms")
print(f"one step, tensors:       {tensor_seconds * 1000:8.1f} ms")
print(f"tensors are about {scalar_seconds / tensor_seconds:.0f} times faster here")

# %% [markdown]
# Both networks separate the moons, with different boundaries: they started from different
# random weights, and 100 points still leave a lot of freedom in between.


# %%
def tensor_predict(points):
    with mt.no_grad():  # no graph needed just to look
        return net(mt.from_numpy(points)).squeeze(1).numpy()


fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
plot_boundary(axes[0], scalar_predict, X, y, "scalar MLP (Value)")
plot_boundary(axes[1], tensor_predict, X, y, "nn.Sequential (Tensor)")
plt.show()

# %% [markdown]
# ## A real task: handwritten digits
#
# scikit-learn ships 1,797 small pictures of handwritten digits, 8×8 pixels each (no download
# needed). `load_digits_split` flattens each picture into 64 numbers and keeps 20% of the
# pictures aside as a **test set**: the network never trains on them, so they tell us how
# well it does on digits it has never seen.
#
# It also **standardises** every pixel: subtracts its mean over the training pictures and
# divides by its standard deviation, so that all 64 inputs have a similar scale (a network
# trains faster that way). The test pictures are scaled with the training set's numbers, so
# nothing about them leaks into training.

# %%
X_train, X_test, y_train, y_test = load_digits_split(test_fraction=0.2, seed=0)
print("training:", X_train.shape, y_train.shape)
print("test:    ", X_test.shape, y_test.shape)

# %% [markdown]
# Standardised pixels suit the network but no longer look like digits. To *look* at the
# pictures we take scikit-learn's raw 8×8 images and split them the same way (same seed);
# the check on the labels shows that the two splits line up picture for picture.

# %%
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

digits = load_digits()
train_images, test_images, train_labels, test_labels = train_test_split(
    digits.images, digits.target, test_size=0.2, random_state=0, stratify=digits.target
)
same = (train_labels == y_train.numpy()).all() and (test_labels == y_test.numpy()).all()
print("same split:", same)

# %% [markdown]
# Here are the first ten training pictures with their labels. They are coarse; you may find
# one or two hard to read yourself.

# %%
fig, axes = plt.subplots(1, 10, figsize=(10, 1.6))
for ax, image, label in zip(axes, train_images[:10], train_labels[:10]):
    ax.imshow(image, cmap="gray_r")
    ax.set_title(str(label))
    ax.axis("off")
plt.show()

# %% [markdown]
# ## Minibatches
#
# With 1,437 training pictures we do not compute the loss on all of them for every step.
# PyTorch's tools for this, under the same names: `TensorDataset(X, y)` pairs each picture
# with its label, and `DataLoader(..., batch_size=64, shuffle=True)` shuffles the pairs anew
# at every pass and hands them out 64 at a time; each batch gives one step. One pass over
# all batches is an **epoch** (23 steps here).

# %%
loader = DataLoader(TensorDataset(X_train, y_train), batch_size=64, shuffle=True)
xb, yb = next(iter(loader))
print("batches per epoch:", len(loader))
print("one batch:", xb.shape, yb.shape, "  its first labels:", yb[:8].tolist())

# %% [markdown]
# ## Ten classes: scores and cross-entropy
#
# The network now outputs **10 scores** (called *logits*), one per digit; the prediction is
# the digit with the largest one. The loss is the **cross-entropy**: softmax turns the
# logits into probabilities $p_k = e^{s_k} / \sum_j e^{s_j}$, and the loss is
# $-\log p_{\text{true class}}$. It is 0 when the network puts all its probability on the
# right digit, and large when it is confidently wrong. `F.cross_entropy(logits, labels)`
# computes it for a whole batch, from the logits and the integer labels.
#
# One hidden layer of 128 ReLU neurons is enough here.

# %%
mt.manual_seed(0)
digit_net = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
print(digit_net)

# %% [markdown]
# ## Training
#
# The optimizer is `optim.Adam`, which adapts the step size of every weight to the size of
# its recent gradients: it needs less tuning of `lr` than plain SGD.
#
# After each epoch we measure the accuracy on the test set, inside `mt.no_grad()` (no
# backward will follow, so no graph is needed), and with the model in evaluation mode
# (`eval()`, which matters for layers like dropout; we have none, but it is the habit).

# %% tags=["nbval-ignore-output"]
opt = optim.Adam(digit_net.parameters(), lr=3e-3)
train_losses, test_accuracies = [], []

bar = progress(range(15), desc="epochs")
for _ in bar:
    digit_net.train()
    loss_sum = 0.0
    for xb, yb in loader:
        loss = F.cross_entropy(digit_net(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        loss_sum += loss.item() * len(xb)
    train_losses.append(loss_sum / len(X_train))

    digit_net.eval()
    with mt.no_grad():
        predictions = digit_net(X_test).argmax(dim=1)
    test_accuracies.append((predictions == y_test).float().mean().item())
    bar.set_postfix(loss=f"{train_losses[-1]:.3f}", test_accuracy=f"{test_accuracies[-1]:.1%}")
bar.close()
print(bar)

# %% [markdown]
# The result, on the 360 test digits:

# %%
correct = int((predictions == y_test).sum().item())
print(
    f"test accuracy after {len(test_accuracies)} epochs: {correct}/{len(y_test)} = "
    f"{correct / len(y_test):.1%}"
)

# %% [markdown]
# ## Learning curves
#
# The training loss falls fast, then slowly. The test accuracy rises quickly and then
# levels off: more epochs would mostly make the training loss smaller without helping the
# test set, the first sign of *overfitting*.

# %%
epochs = range(1, len(train_losses) + 1)
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 3.5))
ax_loss.plot(epochs, train_losses, marker="o")
ax_loss.set_xlabel("epoch")
ax_loss.set_ylabel("training loss (cross-entropy)")
ax_loss.set_yscale("log")
ax_acc.plot(epochs, [100 * a for a in test_accuracies], marker="o", color="tab:green")
ax_acc.set_xlabel("epoch")
ax_acc.set_ylabel("test accuracy (%)")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## The mistakes
#
# Which digits does the network get wrong? Each picture below is titled
# "true → predicted". Several are hard for a person too.

# %%
wrong = np.flatnonzero((predictions != y_test).numpy()).tolist()  # the indices of the mistakes
print(len(wrong), "misclassified test digits")
fig, axes = plt.subplots(1, len(wrong), figsize=(1.2 * len(wrong), 1.8))
for ax, i in zip(np.atleast_1d(axes), wrong):
    ax.imshow(test_images[i], cmap="gray_r")
    ax.set_title(f"{y_test[i].item()} → {predictions[i].item()}")
    ax.axis("off")
plt.show()

# %% [markdown]
# ## What you saw
#
# * Training is forward, `zero_grad()`, `backward()`, `step()`, repeated. The autograd engine
#   does the hard part; the loop is four lines.
# * The scalar engine and the tensor API run the same algorithm. Tensors put many numbers in
#   one graph node, so the graph stays small and the arithmetic runs in compiled code.
# * The tensor code above is PyTorch's: replace `minitensor` by `torch` and it runs
#   (`nn`, `optim`, `TensorDataset` and `DataLoader` have the same names there, the last two
#   in `torch.utils.data`). Three helpers are minitensor's own, and a PyTorch user writes
#   them with other libraries: the data come from scikit-learn (`sklearn.datasets.make_moons`,
#   and `load_digits` with `train_test_split` and `StandardScaler` for the digits), and the
#   progress bar is `tqdm` itself (`from tqdm.auto import tqdm`). Notebook 08 runs the
#   training on a GPU.
#
# ## Exercises
#
# Replace `...` with your answer and run the cell. Worked solutions are in
# `solutions/07_training.py`.
#
# **07.1** How many parameters (weights and biases) does
# `nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))` have? Work it out, then
# check with `sum(p.numel() for p in ...parameters())`.

# %%
from exercises import check

answer = ...  # a whole number
check("07.1", answer)

# %% [markdown]
# **07.2** Three points have scores `s = [0.3, -2.0, 0.5]` and labels `y = [1, -1, -1]`. The
# loss is the mean hinge loss `mean(max(0, 1 - y_i * s_i))`. What is its gradient with
# respect to the three scores? Answer with a list of three numbers. (A point with
# `1 - y_i s_i < 0` is past the margin: its term is flat there.)

# %%
answer = ...  # [dloss/ds_1, dloss/ds_2, dloss/ds_3]
check("07.2", answer)

# %% [markdown]
# **07.3** What is the cross-entropy loss of the logits `[2.0, 0.0, 0.0]` when the true class
# is 0? Compute it with the formula above (softmax, then minus the log), then check with
# `F.cross_entropy(mt.tensor([[2.0, 0.0, 0.0]]), mt.tensor([0]))`.

# %%
answer = ...  # a number
check("07.3", answer)

# %% [markdown]
# **07.4** Fix the bug. This training step trains badly: the longer it runs, the stranger
# the steps it takes. Write a corrected `train_step` (same arguments) and pass the function
# itself as the answer.
#
# ```python
# def train_step(model, opt, xb, yb):
#     loss = F.mse_loss(model(xb), yb)
#     loss.backward()
#     opt.step()
#     return loss
# ```


# %%
def train_step(model, opt, xb, yb):
    loss = F.mse_loss(model(xb), yb)
    loss.backward()
    opt.step()
    return loss


answer = ...  # your corrected train_step function
check("07.4", answer)
