# Generates the reference trajectories pasted into optimizers.test.ts.
# Run: /usr/bin/python3 tests/src/optim/gen_reference.py   (Debian python3-torch 1.13)
# Each case: p0 = [0.5, -1.5, 2.0, 0.1] (float64), 6 steps; before each step the gradient is
# set by hand to g = 2·a·(p − c) + 0.4·p³ with a = [1, 2, 0.5, 3], c = [1, -1, 0.5, 0].
import json
import torch

torch.set_default_dtype(torch.float64)
A = torch.tensor([1.0, 2.0, 0.5, 3.0])
C = torch.tensor([1.0, -1.0, 0.5, 0.0])
CASES = {
    "sgd": lambda p: torch.optim.SGD([p], lr=0.05),
    "sgd_momentum": lambda p: torch.optim.SGD([p], lr=0.05, momentum=0.9),
    "sgd_dampening_wd": lambda p: torch.optim.SGD([p], lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.1),
    "sgd_nesterov": lambda p: torch.optim.SGD([p], lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01),
    "adagrad": lambda p: torch.optim.Adagrad([p]),
    "adagrad_opts": lambda p: torch.optim.Adagrad([p], lr=0.1, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.5),
    "adadelta": lambda p: torch.optim.Adadelta([p]),
    "adadelta_opts": lambda p: torch.optim.Adadelta([p], lr=0.5, rho=0.8, eps=1e-4, weight_decay=0.05),
    "rmsprop": lambda p: torch.optim.RMSprop([p]),
    "rmsprop_centered_momentum": lambda p: torch.optim.RMSprop([p], lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.1),
    "adam": lambda p: torch.optim.Adam([p], lr=0.1),
    "adam_amsgrad_wd": lambda p: torch.optim.Adam([p], lr=0.1, betas=(0.8, 0.9), weight_decay=0.1, amsgrad=True),
    "adamw": lambda p: torch.optim.AdamW([p], lr=0.1),
    "adamw_amsgrad": lambda p: torch.optim.AdamW([p], lr=0.05, weight_decay=0.5, amsgrad=True),
}
out = {}
for name, make in CASES.items():
    p = torch.tensor([0.5, -1.5, 2.0, 0.1], requires_grad=True)
    opt = make(p)
    traj = []
    for _ in range(6):
        with torch.no_grad():
            p.grad = 2 * A * (p - C) + 0.4 * p**3
        opt.step()
        traj.append([round(v, 12) for v in p.detach().tolist()])
    out[name] = traj
print(json.dumps(out))
