# %% [markdown]
# # 02 · Inside `backward()`
#
# In notebook 01, `o.backward()` filled in every gradient of the neuron. It needs just
# three ideas to do that for *any* graph:
#
# 1. **Local derivatives**: each operation records, during the forward pass, how its output
#    moves with each input.
# 2. **An order**: a node is processed only after every node that uses it, so its gradient
#    is complete when its turn comes (a *topological order*).
# 3. **Adding up**: a node used in several places receives one contribution from each
#    place, and its gradient is their sum.
#
# This notebook looks at each one in the engine's real code, then shows two consequences:
# why gradients pile up over repeated `backward()` calls, and why very deep graphs need an
# engine that does not recurse.

# %% [markdown]
# ## The neuron again
#
# The same neuron as in notebook 01, with a label on every node.

# %%
import math

from minitensor import Value, viz
from minitensor.autograd.engine import topological_order


def make_neuron():
    """The tanh neuron of notebook 01: its output and its five leaves, by name."""
    x1 = Value(2.0, label="x1")
    x2 = Value(0.0, label="x2")
    w1 = Value(-3.0, label="w1")
    w2 = Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    s = x1w1 + x2w2
    s.label = "s"
    n = s + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, {"x1": x1, "w1": w1, "x2": x2, "w2": w2, "b": b}


o, leaves = make_neuron()
print(o)

# %% [markdown]
# ## 1. Each node stores its local derivatives
#
# A `Value` made by an operation keeps its inputs (`parents`) and, for each input, the local
# derivative $\partial\,\text{output} / \partial\,\text{input}$ (`local_grads`), computed in
# the forward pass while all the numbers are at hand:
#
# * for `+`, both are 1;
# * for `*`, each is the *other* input's value;
# * for `tanh`, it is $1 - \tanh(n)^2$.
#
# Leaves (the inputs of the graph) have no parents and nothing to store.

# %%
for node in topological_order([o]):
    parents = ", ".join(p.label for p in node.parents) or "-"
    local = ", ".join(f"{g:.4f}" for g in node.local_grads) or "-"
    print(f"{node.label:6} op {node.op or 'leaf':5}  parents: {parents:12}  local_grads: {local}")

# %% [markdown]
# You just saw the second idea too: the list above is in **topological order**, as
# `topological_order` returns it. Every node comes *before* the nodes it was computed from,
# so every node comes after all of its users: `o` first, then `n`, then `s` and `b`, ...,
# and the leaves last. Processing the nodes in this order, a node's gradient is complete
# when its turn comes, because every node that could send it a contribution has already
# been processed.
#
# `topological_order` is a depth-first search. Read it in `minitensor/autograd/engine.py`:
# it is about twenty lines, and it uses an explicit stack rather than recursion (the last
# section of this notebook shows why).

# %% [markdown]
# ## 2. The engine is a generator of steps
#
# The engine (`backward_steps` in `engine.py`) walks the nodes in that order and
# `yield`s one `Step` per node: the node, its complete gradient (`grad_output`) and what it
# sends to each parent (`grad_inputs`, which is `grad_output` times each local
# derivative). `o.backward()` simply runs the generator to the end; `o.backward_steps()`
# hands it to you, so you can watch each step (the stepper widget of notebook 01 is built
# on this). As in `backward()`, each step also stores the gradient in `.grad`.

# %%
for step in o.backward_steps():
    sent = ", ".join(f"{p.label} <- {g:.2f}" for p, g in zip(step.parents, step.grad_inputs))
    print(f"step {step.number}: {step.node.label:6} grad {step.grad_output:5.2f}   sends {sent}")

# %% [markdown]
# ### The gradients after the last step
#
# After the last step, the leaves hold the same gradients as in notebook 01:

# %%
for name, leaf in leaves.items():
    print(f"{name + '.grad':7} = {leaf.grad:5.2f}")

# %% [markdown]
# ## 3. Why gradients must be *added*
#
# Take `c = a * a`. The node `*` has the same Value `a` as both of its inputs, so `a`
# receives **two** contributions: $\partial c/\partial a = a + a = 2a$, which is the
# derivative of $a^2$ that you know. Same story for `b = a + a`: two contributions of 1,
# so $\partial b / \partial a = 2$.

# %%
a = Value(3.0, label="a")
c = a * a
c.label = "c"
c.backward()
print("c = a * a at a = 3:  a.grad =", a.grad, "  (2a = 6)")

a = Value(3.0, label="a")
b = a + a
b.label = "b"
b.backward()
print("b = a + a:           a.grad =", a.grad, "  (1 + 1 = 2)")

# %% [markdown]
# ### Two edges, two paths
#
# The picture of `b = a + a` shows the two edges from `a` into the `+`: two paths from
# `b` back to `a`.

# %%
viz.draw(b)

# %% [markdown]
# ### What goes wrong if you *set* instead of *add*
#
# Here is a tiny backward pass written with a classic bug: each contribution **replaces**
# the parent's gradient (`=`) instead of being added to it (`+=`). When `a` gets its two
# contributions, the second overwrites the first. Run it and compare with the right
# answers above.


# %%
def buggy_backward(root):
    """Backpropagation that SETS each parent's gradient (wrong for reused nodes)."""
    for node in topological_order([root]):
        node.grad = 0.0
    root.grad = 1.0
    for node in topological_order([root]):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad = node.grad * local  # BUG: should be +=


a = Value(3.0, label="a")
c = a * a
buggy_backward(c)
print("buggy, c = a * a:  a.grad =", a.grad, "  (should be 6.0)")

a = Value(3.0, label="a")
b = a + a
buggy_backward(b)
print("buggy, b = a + a:  a.grad =", a.grad, "  (should be 2.0)")

# %% [markdown]
# The bug is silent: no error, just a gradient that is half what it should be. With `+=`
# instead of `=`, both answers are right. (minitensor's engine collects the contributions
# in a dictionary, `pending`, adds them up, and stores the total once the node's turn
# comes.)

# %% [markdown]
# ## 4. A second `backward()` adds again, and `zero_grad()` starts over
#
# Because gradients are *added* into `.grad`, calling `backward()` twice on the same graph
# adds the same gradients twice. PyTorch behaves the same way, on purpose: it lets you sum
# gradients over several losses or several small batches. The price: before each new
# backward pass you must set the gradients back to zero yourself.

# %%
o, leaves = make_neuron()
o.backward()
print("after one backward():  x1.grad =", f"{leaves['x1'].grad:.2f}")
o.backward()
print("after two backward():  x1.grad =", f"{leaves['x1'].grad:.2f}   (doubled)")
o.zero_grad()
print("after zero_grad():     x1.grad =", f"{leaves['x1'].grad:.2f}")
o.backward()
print("backward() again:      x1.grad =", f"{leaves['x1'].grad:.2f}")

# %% [markdown]
# ### The same with tensors
#
# The tensors of minitensor (and PyTorch) work the same way. Each loop below builds a
# fresh graph and runs `backward()`; the gradient of `w` keeps growing until it is reset.

# %%
import minitensor as mt

w = mt.tensor(2.0, requires_grad=True)
for i in range(3):
    loss = w * 3
    loss.backward()
    print(f"after backward() #{i + 1}: w.grad =", w.grad)
w.grad = None  # what optimizer.zero_grad() does
print("after w.grad = None:   w.grad =", w.grad)

# %% [markdown]
# ## 5. The same neuron with tanh taken apart
#
# The engine does not need to know what tanh is. Write it with simpler operations,
#
# $$\tanh(n) = \frac{e^{2n} - 1}{e^{2n} + 1},$$
#
# and the graph gets bigger: an exp, a subtraction, an addition and a division (minitensor
# builds $a - b$ as $a + b \cdot (-1)$ and $a / b$ as $a \cdot b^{-1}$, so look for those
# in the picture). But the output and the gradients are the same.
# Each small operation brings its own simple local derivative, and the chain rule
# combines them into the derivative of tanh.


# %%
def make_expanded_neuron():
    """The same neuron, with tanh written as (e^(2n) - 1) / (e^(2n) + 1)."""
    x1 = Value(2.0, label="x1")
    x2 = Value(0.0, label="x2")
    w1 = Value(-3.0, label="w1")
    w2 = Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    e = (2 * n).exp()
    e.label = "e"
    o = (e - 1) / (e + 1)
    o.label = "o"
    return o, {"x1": x1, "w1": w1, "x2": x2, "w2": w2, "b": b}


o_expanded, leaves_expanded = make_expanded_neuron()
o_expanded.backward()
o, leaves = make_neuron()
o.backward()
print(f"o with tanh: {o.data:.8f}   o expanded: {o_expanded.data:.8f}")
sizes = len(topological_order([o])), len(topological_order([o_expanded]))
print("nodes with tanh: {}   expanded: {}".format(*sizes))
for name in leaves:
    g1, g2 = leaves[name].grad, leaves_expanded[name].grad
    same = math.isclose(g1, g2, abs_tol=1e-12)
    print(f"{name + '.grad':7}  {g1:5.2f}  {g2:5.2f}   same: {same}")

# %% [markdown]
# ### The expanded graph
#
# The bigger graph. Find `e`: it is used **twice** (in $e - 1$ and in $e + 1$), so its
# gradient is a sum of two contributions, exactly as in section 3. The boxes with a number
# for a name are the constants of the formula (2, 1, -1).

# %%
viz.draw(o_expanded)

# %% [markdown]
# ## 6. Deep graphs: 100,000 nodes, no recursion
#
# A chain of operations can be very long: a loop that runs 100,000 times, or a recurrent
# network unrolled over a long sequence. Here is a chain of 100,000 multiplications by
# $1.00001$. Since $(1 + 1/N)^N \approx e$ for a large $N$, the final value and the gradient
# $\partial y / \partial x$ are both close to $e = 2.71828...$

# %%
x = Value(1.0, label="x")
y = x
for _ in range(100_000):
    y = y * 1.00001
y.backward()
size = len(topological_order([y]))
print(f"y = {y.data:.6f}   dy/dx = {x.grad:.6f}   e = {math.e:.6f}")
print(f"nodes in the graph: {size:,}")

# %% [markdown]
# ### Why a recursive sort would fail
#
# (The graph has 200,001 nodes: `x`, the 100,000 products, and the 100,000 constants
# `1.00001`, each of which becomes a Value of its own.)
#
# This works because minitensor's `topological_order` keeps its own stack (a Python list).
# The natural way to write a depth-first search is a *recursive* function, as micrograd
# does: visit the parents by calling itself, then append the node. Each call uses one frame
# of Python's call stack, and Python stops at about 1000 nested calls
# (`sys.getrecursionlimit()`). That limit guards the **C stack**: every nested Python call
# also uses some of the interpreter's own stack, a fixed and rather small block of memory,
# and overflowing it would crash the whole process instead of raising an error you can
# catch. So a recursive sort fails on any graph more than about a thousand nodes deep.
# Let's check on our chain:


# %%
def recursive_order(root):
    """A depth-first topological sort written with recursion (micrograd's way)."""
    order, visited = [], set()

    def visit(node):
        if node not in visited:
            visited.add(node)
            for parent in node.parents:
                visit(parent)
            order.append(node)

    visit(root)
    return order[::-1]


short = Value(1.0)
for _ in range(500):
    short = short * 1.00001
print("a chain of 500: the recursive sort finds all", len(recursive_order(short)), "nodes")

try:
    recursive_order(y)
except RecursionError:
    print("a chain of 100,000: RecursionError (maximum recursion depth exceeded)")

# %% [markdown]
# Same graph, same order wanted; only the bookkeeping differs. An explicit stack can grow
# as large as memory allows, while the interpreter's call stack cannot.

# %% [markdown]
# ## Exercises
#
# Replace each `...` with your answer and run the cell. The solutions are in
# `solutions/02_inside_backward.py`.
#
# ### Exercise 02.1
#
# `c = a * a + a` at `a = 4.0`. How many contributions reach `a`, and what is
# $\partial c / \partial a$ (the sum)? Give the derivative.

# %%
from exercises import check

answer = ...  # your answer: dc/da at a = 4
check("02.1", answer)

# %% [markdown]
# ### Exercise 02.2
#
# `b = a + a + a`, and `b.backward()` is called **twice**, with no `zero_grad()` in
# between. What is `a.grad` then?

# %%
answer = ...  # your answer: a.grad after two backward() calls
check("02.2", answer)

# %% [markdown]
# ### Exercise 02.3
#
# With the *buggy* backward above (which sets instead of adds), what would
# `a.grad` be for `c = a * a * a` at `a = 2.0`? (The right answer is $3a^2 = 12$.) Work it
# out by hand first: the graph is `(a * a) * a`. Then you can check it with
# `buggy_backward`.

# %%
answer = ...  # your answer: the WRONG a.grad that buggy_backward gives
check("02.3", answer)

# %% [markdown]
# ### Exercise 02.4 (write a backward pass)
#
# Write `my_backward(root)`, a correct backward pass for a graph of `Value`s: it sets the
# `.grad` of every node of the graph (every `.grad` starts from 0, and `root.grad` is 1),
# using only `topological_order([root])`, `node.parents` and `node.local_grads`. The check
# runs it on several graphs (`a * a`, `a + a`, a leaf alone, the neuron, ...) and compares
# with `backward()`.


# %%
def my_backward(root): ...  # your code


answer = ...  # your answer: the function my_backward
check("02.4", answer)

# %% [markdown]
# Next: tensors. Notebook 03 introduces the n-dimensional arrays that real networks
# compute with; notebook 04 puts this same engine behind them.
