# Parity cases for the optimizers (a few steps on a fixed quadratic, parameters recorded after
# every step) and the lr schedulers (the lr of each epoch). Imported by gen.py; `op` is "optim"
# or "sched", run by parity-runners.ts.
import torch
from gen import add, c, f, rn

G = "optim"
P1, P2 = rn(2, 3), rn(3)
W1, V1, W2, V2 = torch.rand(2, 3) + 0.5, rn(2, 3), torch.rand(3) + 0.5, rn(3)
STEPS = 4


def quad_loss(p1, p2, w1, v1, w2, v2):
    return (w1 * p1 * p1).sum() * 0.5 + (v1 * p1).sum() + (w2 * p2 * p2).sum() * 0.5 + (v2 * p2).sum()


OPTIMS = {
    "SGD": torch.optim.SGD, "Adam": torch.optim.Adam, "AdamW": torch.optim.AdamW, "RMSprop": torch.optim.RMSprop,
    "Adagrad": torch.optim.Adagrad, "Adadelta": torch.optim.Adadelta,
}
CAMEL = {"weight_decay": "weightDecay", "lr_decay": "lrDecay", "initial_accumulator_value": "initialAccumulatorValue"}


def optim_case(cid, name, group=G, **kw):
    def fn(p1, p2, w1, v1, w2, v2):
        opt = OPTIMS[name]([p1, p2], **kw)
        outs = []
        for _ in range(STEPS):
            opt.zero_grad()
            quad_loss(p1, p2, w1, v1, w2, v2).backward()
            opt.step()
            outs += [p1.detach().clone(), p2.detach().clone()]
        return tuple(outs)

    opts = {"name": name, "steps": STEPS, "opts": {CAMEL.get(k, k): (list(v) if isinstance(v, tuple) else v) for k, v in kw.items()}}
    add(group, cid, "optim", fn, [f(P1), f(P2), c(W1), c(V1), c(W2), c(V2)], opts)


optim_case("SGD/plain", "SGD", lr=0.1)
optim_case("SGD/momentum", "SGD", lr=0.1, momentum=0.9)
optim_case("SGD/nesterov-wd", "SGD", lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)
optim_case("SGD/dampening-maximize", "SGD", lr=0.05, momentum=0.5, dampening=0.3, maximize=True)
optim_case("Adam/plain", "Adam", lr=0.1)
optim_case("Adam/betas-eps-wd", "Adam", lr=0.05, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1)
optim_case("Adam/amsgrad", "Adam", lr=0.1, amsgrad=True)
optim_case("AdamW/plain", "AdamW", lr=0.1)
optim_case("AdamW/amsgrad-wd", "AdamW", lr=0.1, weight_decay=0.5, amsgrad=True)
optim_case("RMSprop/plain", "RMSprop", lr=0.01)
optim_case("RMSprop/momentum-centered", "RMSprop", lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.1)
optim_case("Adagrad/plain", "Adagrad", lr=0.1)
optim_case("Adagrad/decay-init", "Adagrad", lr=0.1, lr_decay=0.1, initial_accumulator_value=0.5, weight_decay=0.1)
optim_case("Adadelta/plain", "Adadelta", lr=1.0)
optim_case("Adadelta/rho-wd", "Adadelta", lr=0.5, rho=0.5, eps=1e-4, weight_decay=0.1)

S = torch.optim.lr_scheduler
EPOCHS = 12


def sched_case(cid, name, make, opts, metrics=None, group=G):
    def fn():
        p = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([p], lr=0.1)
        s = make(opt)
        lrs = [opt.param_groups[0]["lr"]]
        for e in range(EPOCHS):
            opt.step()
            s.step() if metrics is None else s.step(metrics[e])
            lrs.append(opt.param_groups[0]["lr"])
        return torch.tensor(lrs, dtype=torch.float64)

    o = {"name": name, "epochs": EPOCHS, **opts}
    if metrics is not None:
        o["metrics"] = metrics
    add(group, cid, "sched", fn, [], o, f32=False)


sched_case("StepLR/plain", "StepLR", lambda o: S.StepLR(o, 3), {"args": [3]})
sched_case("StepLR/gamma", "StepLR", lambda o: S.StepLR(o, 2, gamma=0.5), {"args": [2, 0.5]})
sched_case("ExponentialLR/plain", "ExponentialLR", lambda o: S.ExponentialLR(o, 0.8), {"args": [0.8]})
sched_case("CosineAnnealingLR/plain", "CosineAnnealingLR", lambda o: S.CosineAnnealingLR(o, 5), {"args": [5]})
sched_case("CosineAnnealingLR/eta-min", "CosineAnnealingLR", lambda o: S.CosineAnnealingLR(o, 4, eta_min=0.01), {"args": [4, 0.01]})
PLATEAU = [1.0, 0.9, 0.9, 0.95, 0.91, 0.9, 0.8, 0.85, 0.85, 0.85, 0.85, 0.85]
sched_case("ReduceLROnPlateau/plain", "ReduceLROnPlateau", lambda o: S.ReduceLROnPlateau(o, patience=1), {"opts": {"patience": 1}}, PLATEAU)
sched_case("ReduceLROnPlateau/max-cooldown", "ReduceLROnPlateau",
           lambda o: S.ReduceLROnPlateau(o, mode="max", factor=0.5, patience=0, cooldown=1, threshold=0.05, threshold_mode="abs", min_lr=0.02),
           {"opts": {"mode": "max", "factor": 0.5, "patience": 0, "cooldown": 1, "threshold": 0.05, "thresholdMode": "abs", "minLr": 0.02}}, PLATEAU)
