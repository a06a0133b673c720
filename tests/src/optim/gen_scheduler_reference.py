# Generates the learning-rate sequences pasted into lr-scheduler.test.ts.
# Run: /usr/bin/python3 tests/src/optim/gen_scheduler_reference.py   (Debian python3-torch 1.13)
# Each case starts at lr = 0.1 and records the lr after each of 12 scheduler steps.
import json
import torch

def run(make, metrics=None):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1)
    s = make(opt)
    lrs = []
    for e in range(12):
        opt.step()
        if metrics is None:
            s.step()
        else:
            s.step(metrics[e])
        lrs.append(round(opt.param_groups[0]["lr"], 15))
    return lrs

S = torch.optim.lr_scheduler
out = {
    "step": run(lambda o: S.StepLR(o, step_size=3, gamma=0.5)),
    "exponential": run(lambda o: S.ExponentialLR(o, gamma=0.9)),
    "cosine": run(lambda o: S.CosineAnnealingLR(o, T_max=5, eta_min=0.01)),
    "plateau": run(lambda o: S.ReduceLROnPlateau(o, patience=2, factor=0.5),
                   [5, 4, 4, 4, 4, 3, 3.5, 3.2, 3.1, 3.0, 3.0, 3.0]),
    "plateau_max_cooldown": run(lambda o: S.ReduceLROnPlateau(o, mode="max", patience=1, factor=0.1, cooldown=2, min_lr=0.0005),
                   [1, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3]),
}
print(json.dumps(out))
