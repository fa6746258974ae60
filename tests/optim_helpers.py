"""A helper shared by the optimizer and learning-rate scheduler tests."""


def step_both(pairs, loss_of):
    """One step of each (tensors, optimizer) pair, the loss built by loss_of(tensors)."""
    for params, opt in pairs:
        opt.zero_grad()
        loss_of(params).backward()
        opt.step()
