# Reference values for the issue-9 nn/functional/optim additions (clipGradNorm_, convTranspose,
# klDiv, pad modes, interpolate, MultiStepLR/LambdaLR/OneCycleLR), computed with real PyTorch.
# Run: /usr/bin/python3 tests/src/nn/gen_issue9_reference.py > tests/src/nn/fixtures/issue9.json
# (torch 1.13). Every number is identical under torch 2.13 (/work/venv-torch/bin/python); only
# the Upsample repr differs (2.x quotes the mode).
import json, math, sys
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

def fill(shape, seed, scale=1.0, grad=False):
    n = 1
    for s in shape: n *= s
    t = torch.tensor([scale * 0.5 * math.sin(1.3 * i + seed) for i in range(n)]).reshape(shape)
    return t.requires_grad_(grad)

def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]

out = {"torch": torch.__version__}

# clip_grad_norm_ / clip_grad_value_
clip = []
for max_norm, p in [(0.5, 2.0), (0.5, 1.0), (0.3, math.inf), (100.0, 2.0), (0.5, 3.0)]:
    a = fill([3, 2], 1, grad=True); b = fill([4], 2, grad=True)
    a.grad = fill([3, 2], 3, 2.0); b.grad = fill([4], 4, 2.0)
    total = torch.nn.utils.clip_grad_norm_([a, b], max_norm, norm_type=p)
    clip.append({"maxNorm": max_norm, "normType": "inf" if p == math.inf else p, "total": float(total), "a": flat(a.grad), "b": flat(b.grad)})
a = fill([3, 2], 1, grad=True); a.grad = fill([3, 2], 3, 2.0)
torch.nn.utils.clip_grad_value_([a], 0.4)
out["clip"] = {"norm": clip, "value": flat(a.grad)}

# conv_transpose2d / conv_transpose1d: y and grads of sum(y * fill(y.shape, 7))
ct = []
for name, xs, ws, kw in [
    ("basic", [2, 4, 3, 3], [4, 3, 3, 3], dict(stride=2, padding=1, output_padding=1)),
    ("groups", [1, 4, 3, 4], [4, 2, 2, 3], dict(stride=(1, 2), padding=(0, 1), output_padding=(0, 1), groups=2)),
    ("dilation", [1, 2, 4, 3], [2, 3, 2, 2], dict(stride=1, padding=1, output_padding=1, dilation=2)),
    ("plain", [1, 1, 2, 2], [1, 1, 2, 2], dict()),
]:
    x = fill(xs, 1, grad=True); w = fill(ws, 2, grad=True); b = fill([ws[1] * kw.get("groups", 1)], 3, grad=True)
    y = F.conv_transpose2d(x, w, b, **kw)
    (y * fill(list(y.shape), 7)).sum().backward()
    ct.append({"name": name, "x": xs, "w": ws, "opts": {k: list(v) if isinstance(v, tuple) else v for k, v in kw.items()},
               "yShape": list(y.shape), "y": flat(y), "gx": flat(x.grad), "gw": flat(w.grad), "gb": flat(b.grad)})
x = fill([2, 3, 5], 1, grad=True); w = fill([3, 2, 3], 2, grad=True); b = fill([2], 3, grad=True)
y = F.conv_transpose1d(x, w, b, stride=2, padding=1, output_padding=1)
(y * fill(list(y.shape), 7)).sum().backward()
out["convTranspose"] = ct
out["convTranspose1d"] = {"yShape": list(y.shape), "y": flat(y), "gx": flat(x.grad), "gw": flat(w.grad), "gb": flat(b.grad)}

# kl_div
kl = {}
for red in ["mean", "batchmean", "sum", "none"]:
    for lt in [False, True]:
        inp = F.log_softmax(fill([3, 4], 1, 3.0), 1).detach().requires_grad_(True)
        tgt = F.softmax(fill([3, 4], 5, 3.0), 1).detach()
        tgt[0, 1] = 0.0
        if lt: tgt = F.log_softmax(fill([3, 4], 5, 3.0), 1).detach()
        l = F.kl_div(inp, tgt, reduction=red, log_target=lt)
        (l * fill(list(l.shape), 9) if red == "none" else l).sum().backward()
        kl[f"{red}{'_log' if lt else ''}"] = {"loss": flat(l), "grad": flat(inp.grad)}
out["klDiv"] = kl

# pad modes: y and grad of sum(y * fill(y.shape, 7))
pads = []
for name, xs, p, mode, val in [
    ("reflect4d", [1, 2, 3, 4], [1, 2, 2, 1], "reflect", None),
    ("replicate4d", [1, 2, 3, 4], [2, 1, 1, 3], "replicate", None),
    ("circular4d", [1, 2, 3, 4], [1, 2, 1, 0], "circular", None),
    ("constant", [1, 2, 3, 4], [1, -1, 2, 0], "constant", 1.5),
    ("reflect3d", [1, 2, 5], [3, 2], "reflect", None),
    ("replicate3d", [2, 1, 3], [0, 4], "replicate", None),
]:
    x = fill(xs, 1, grad=True)
    y = F.pad(x, p, mode=mode, value=val) if val is not None else F.pad(x, p, mode=mode)
    (y * fill(list(y.shape), 7)).sum().backward()
    pads.append({"name": name, "x": xs, "pad": p, "mode": mode, "value": val, "yShape": list(y.shape), "y": flat(y), "gx": flat(x.grad)})
out["pad"] = pads

# interpolate
interp = []
for name, xs, kw in [
    ("nearestSize", [1, 2, 3, 4], dict(size=(5, 7), mode="nearest")),
    ("nearestScale2", [1, 2, 3, 4], dict(scale_factor=2, mode="nearest")),
    ("nearestScale1.5", [1, 1, 3, 4], dict(scale_factor=1.5, mode="nearest")),
    ("nearestDown", [1, 1, 5, 7], dict(size=(2, 3), mode="nearest")),
    ("nearestExact", [1, 2, 3, 4], dict(size=(5, 3), mode="nearest-exact")),
    ("bilinear", [1, 2, 3, 4], dict(size=(5, 7), mode="bilinear", align_corners=False)),
    ("bilinearAlign", [1, 2, 3, 4], dict(size=(5, 7), mode="bilinear", align_corners=True)),
    ("bilinearScale", [2, 1, 3, 3], dict(scale_factor=1.7, mode="bilinear")),
    ("bilinearDown", [1, 1, 6, 5], dict(size=(4, 2), mode="bilinear")),
    ("linear", [1, 2, 5], dict(size=8, mode="linear")),
    ("linearAlign", [1, 2, 5], dict(scale_factor=2.5, mode="linear", align_corners=True)),
    ("nearest1d", [1, 2, 5], dict(size=3)),
    ("trilinear", [1, 1, 2, 3, 2], dict(size=(3, 4, 3), mode="trilinear")),
]:
    x = fill(xs, 1, grad=True)
    y = F.interpolate(x, **kw)
    (y * fill(list(y.shape), 7)).sum().backward()
    opts = {k: list(v) if isinstance(v, tuple) else v for k, v in kw.items()}
    interp.append({"name": name, "x": xs, "opts": opts, "yShape": list(y.shape), "y": flat(y), "gx": flat(x.grad)})
out["interpolate"] = interp

# schedulers: lr (and momentum) after construction and after each step
def sched(make, opt_make, steps, mom=None):
    p = torch.zeros(1, requires_grad=True)
    opt = opt_make([p])
    s = make(opt)
    lrs = [opt.param_groups[0]["lr"]]
    ms = [mom(opt.param_groups[0])] if mom else None
    for _ in range(steps):
        opt.step(); s.step()
        lrs.append(opt.param_groups[0]["lr"])
        if mom: ms.append(mom(opt.param_groups[0]))
    return {"lr": lrs, "momentum": ms} if mom else {"lr": lrs}

import warnings
warnings.simplefilter("ignore")
S = torch.optim.lr_scheduler
sgd = lambda ps: torch.optim.SGD(ps, lr=0.1)
out["sched"] = {
    "multiStep": sched(lambda o: S.MultiStepLR(o, [2, 5, 5, 8], gamma=0.5), sgd, 12),
    "lambda": sched(lambda o: S.LambdaLR(o, lambda e: 0.9 ** e + 0.01 * e), sgd, 12),
    "oneCycleSgd": sched(lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=12), lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9), 12, lambda g: g["momentum"]),
    "oneCycleAdam3": sched(lambda o: S.OneCycleLR(o, max_lr=0.01, epochs=2, steps_per_epoch=5, three_phase=True, anneal_strategy="linear", pct_start=0.25),
                           lambda ps: torch.optim.Adam(ps, lr=0.1), 10, lambda g: g["betas"][0]),
    "oneCycleNoMom": sched(lambda o: S.OneCycleLR(o, max_lr=1.0, total_steps=7, cycle_momentum=False, div_factor=10, final_div_factor=100),
                           lambda ps: torch.optim.Adagrad(ps, lr=0.1), 7),
}

# reprs
out["repr"] = {
    "moduleList": repr(torch.nn.ModuleList([torch.nn.Linear(2, 3), torch.nn.ReLU()])),
    "moduleDict": repr(torch.nn.ModuleDict({"fc": torch.nn.Linear(2, 3), "act": torch.nn.ReLU()})),
    "convT": repr(torch.nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)),
    "upsample": repr(torch.nn.Upsample(scale_factor=2, mode="bilinear")),
}
json.dump(out, sys.stdout, indent=None)
