# Parity cases for the ops that issue 9 added (sort, topk, cumsum/cumprod, norm, einsum,
# max(dim) ties, convTranspose, fold, klDiv, pad modes, interpolate, clipGrad*, the new lr
# schedulers). Imported by gen.py; each `op` names a runner in parity-runners.ts.
import torch
import torch.nn as nn
import torch.nn.functional as F
from gen import INF, NAN, add, c, f, fill, i, rn
from gen_nn import module_case
from gen_optim import sched_case, S

G = "extra"
add(G, "max/dim-ties", "maxDim", lambda x: torch.max(x, 1), [f([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])], {"dim": 1})
add(G, "min/dim-ties-keepdim", "minDim", lambda x: torch.min(x, 0, keepdim=True), [f([[1.0, 0.0], [1.0, 0.0]])], {"dim": 0, "keepdim": True})
add(G, "sort/last", "sort", lambda x: torch.sort(x), [f(rn(3, 4))], {"dim": -1})
add(G, "sort/desc-dim0", "sort", lambda x: torch.sort(x, 0, descending=True), [f(rn(3, 4))], {"dim": 0, "descending": True})
add(G, "sort/inf-nan", "sort", lambda x: torch.sort(x), [f([3.0, NAN, 1.0, -INF, INF])], {"dim": -1})
add(G, "argsort/desc", "argsort", lambda x: torch.argsort(x, 1, descending=True), [c(rn(2, 5))], {"dim": 1, "descending": True})
add(G, "topk/largest", "topk", lambda x: torch.topk(x, 2, 1), [f(rn(3, 5))], {"k": 2, "dim": 1})
add(G, "topk/smallest-dim0", "topk", lambda x: torch.topk(x, 2, 0, largest=False), [f(rn(4, 3))], {"k": 2, "dim": 0, "largest": False})
add(G, "cumsum/dim1", "cumsum", lambda x: torch.cumsum(x, 1), [f(rn(3, 4))], {"dim": 1})
add(G, "cumsum/dim0-inf", "cumsum", lambda x: torch.cumsum(x, 0), [f([[1.0, INF], [2.0, -INF], [3.0, 1.0]])], {"dim": 0})
add(G, "cumprod/dim1", "cumprod", lambda x: torch.cumprod(x, 1), [f(rn(3, 4))], {"dim": 1})
add(G, "cumprod/zeros", "cumprod", lambda x: torch.cumprod(x, 1), [f([[2.0, 0.0, 3.0, 4.0], [0.0, 1.0, 0.0, 2.0]])], {"dim": 1})
add(G, "norm/fro", "norm", lambda x: torch.norm(x), [f(rn(3, 4))])
add(G, "norm/p1-dim", "norm", lambda x: torch.norm(x, 1, 1), [f(rn(3, 4))], {"p": 1, "dim": 1})
add(G, "norm/inf-keepdim", "norm", lambda x: torch.norm(x, INF, 1, keepdim=True), [f([[1.0, -3.0, 3.0], [0.5, 0.2, -0.1]])], {"p": "inf", "dim": 1, "keepdim": True})
add(G, "norm/zero-vector", "norm", lambda x: torch.norm(x, 2, 1), [f([[0.0, 0.0, 0.0], [3.0, 4.0, 0.0]])], {"p": 2, "dim": 1})
add(G, "norm/p3", "norm", lambda x: torch.norm(x, 3, 0), [f(rn(3, 2))], {"p": 3, "dim": 0})
add(G, "einsum/matmul", "einsum", lambda a, b: torch.einsum("ij,jk->ik", a, b), [f(rn(2, 3)), f(rn(3, 4))], {"eq": "ij,jk->ik"})
add(G, "einsum/batched", "einsum", lambda a, b: torch.einsum("bij,bjk->bik", a, b), [f(rn(2, 2, 3)), f(rn(2, 3, 2))], {"eq": "bij,bjk->bik"})
add(G, "einsum/diag", "einsum", lambda a: torch.einsum("ii->i", a), [f(rn(3, 3))], {"eq": "ii->i"})
add(G, "einsum/outer-sum", "einsum", lambda a, b: torch.einsum("i,j->", a, b), [f(rn(3)), f(rn(2))], {"eq": "i,j->"})
add(G, "einsum/transpose-trace", "einsum", lambda a: torch.einsum("ij->ji", a), [f(rn(2, 3))], {"eq": "ij->ji"})
add(G, "convTranspose2d/stride-pad-outpad", "convTranspose2d", lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1),
    [f(rn(1, 2, 3, 3)), f(rn(2, 3, 3, 3)), f(rn(3))], {"stride": 2, "padding": 1, "outputPadding": 1})
add(G, "convTranspose2d/groups-dil", "convTranspose2d", lambda x, w: F.conv_transpose2d(x, w, groups=2, dilation=2),
    [f(rn(1, 4, 3, 3)), f(rn(4, 1, 2, 2))], {"groups": 2, "dilation": 2})
add(G, "convTranspose1d/stride", "convTranspose1d", lambda x, w, b: F.conv_transpose1d(x, w, b, stride=3), [f(rn(2, 2, 4)), f(rn(2, 3, 2)), f(rn(3))], {"stride": 3})
add(G, "fold/plain", "fold", lambda x: F.fold(x, (3, 3), 2), [f(rn(1, 8, 4))], {"outputSize": [3, 3], "kernelSize": 2})
lp = torch.log_softmax(rn(3, 4), 1)
tp = torch.softmax(rn(3, 4), 1)
tp[0, 1] = 0.0
add(G, "klDiv/batchmean", "klDiv", lambda x, t: F.kl_div(x, t, reduction="batchmean"), [f(lp), f(tp)], {"reduction": "batchmean"})
add(G, "klDiv/none-zero-target", "klDiv", lambda x, t: F.kl_div(x, t, reduction="none"), [f(lp), f(tp)], {"reduction": "none"})
add(G, "klDiv/log-target-sum", "klDiv", lambda x, t: F.kl_div(x, t, reduction="sum", log_target=True), [f(lp), f(torch.log_softmax(rn(3, 4), 1))], {"reduction": "sum", "logTarget": True})
for mode in ["reflect", "replicate", "circular"]:
    add(G, f"pad/{mode}", "padMode", lambda x, mode=mode: F.pad(x, (1, 2, 2, 1), mode=mode), [f(rn(1, 1, 3, 4))], {"padding": [1, 2, 2, 1], "mode": mode})
add(G, "pad/reflect-1d", "padMode", lambda x: F.pad(x, (2, 1), mode="reflect"), [f(rn(1, 2, 4))], {"padding": [2, 1], "mode": "reflect"})
add(G, "interpolate/nearest-scale", "interpolate", lambda x: F.interpolate(x, scale_factor=2), [f(rn(1, 1, 2, 3))], {"scaleFactor": 2})
add(G, "interpolate/nearest-size", "interpolate", lambda x: F.interpolate(x, size=(3, 5)), [f(rn(1, 2, 2, 3))], {"size": [3, 5]})
add(G, "interpolate/nearest-exact", "interpolate", lambda x: F.interpolate(x, size=5, mode="nearest-exact"), [f(rn(1, 1, 3))], {"size": 5, "mode": "nearest-exact"})
add(G, "interpolate/bilinear", "interpolate", lambda x: F.interpolate(x, size=(3, 4), mode="bilinear"), [f(rn(1, 1, 2, 3))], {"size": [3, 4], "mode": "bilinear"})
add(G, "interpolate/bilinear-align", "interpolate", lambda x: F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=True), [f(rn(1, 2, 2, 2))], {"scaleFactor": 2, "mode": "bilinear", "alignCorners": True})
add(G, "interpolate/linear", "interpolate", lambda x: F.interpolate(x, size=7, mode="linear"), [f(rn(2, 1, 4))], {"size": 7, "mode": "linear"})


def clip_norm(g, max_norm, norm_type):
    def fn(p1, p2, g1, g2):
        ((p1 * g1).sum() + (p2 * g2).sum()).backward()
        total = nn.utils.clip_grad_norm_([p1, p2], max_norm, norm_type)
        return total.detach().reshape(()), p1.grad.clone(), p2.grad.clone()
    return fn


add(G, "clipGradNorm/2", "clipGradNorm", clip_norm(None, 0.5, 2.0), [f(rn(2, 3)), f(rn(3)), c(rn(2, 3)), c(rn(3))], {"maxNorm": 0.5, "normType": 2})
add(G, "clipGradNorm/inf-unclipped", "clipGradNorm", clip_norm(None, 100.0, INF), [f(rn(2, 3)), f(rn(3)), c(rn(2, 3)), c(rn(3))], {"maxNorm": 100, "normType": "inf"})


def clip_value(p1, g1):
    (p1 * g1).sum().backward()
    nn.utils.clip_grad_value_([p1], 0.3)
    return p1.grad.clone()


add(G, "clipGradValue/0.3", "clipGradValue", clip_value, [f(rn(2, 3)), c(rn(2, 3))], {"clipValue": 0.3})

module_case("ConvTranspose2d/stride", "ConvTranspose2d", lambda: nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1), rn(1, 2, 3, 3), {"args": [2, 3, 3], "stride": 2, "padding": 1}, group=G)
module_case("Upsample/bilinear", "Upsample", lambda: nn.Upsample(scale_factor=2, mode="bilinear"), rn(1, 1, 2, 2), {"scaleFactor": 2, "mode": "bilinear"}, group=G)

sched_case("MultiStepLR/plain", "MultiStepLR", lambda o: S.MultiStepLR(o, [3, 7], gamma=0.5), {"args": [[3, 7], 0.5]})
sched_case("LambdaLR/pow", "LambdaLR", lambda o: S.LambdaLR(o, lambda e: 0.9 ** e), {"lambda": "pow0.9"})
sched_case("OneCycleLR/cos", "OneCycleLR", lambda o: S.OneCycleLR(o, max_lr=1.0, total_steps=13, cycle_momentum=False),
           {"opts": {"maxLr": 1.0, "totalSteps": 13, "cycleMomentum": False}})
sched_case("OneCycleLR/linear-three-phase", "OneCycleLR",
           lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=13, anneal_strategy="linear", three_phase=True, pct_start=0.4, cycle_momentum=False),
           {"opts": {"maxLr": 0.5, "totalSteps": 13, "annealStrategy": "linear", "threePhase": True, "pctStart": 0.4, "cycleMomentum": False}})
add(G, "interpolate/nearest-scale-1.5", "interpolate", lambda x: F.interpolate(x, scale_factor=1.5), [f(rn(1, 1, 3, 5))], {"scaleFactor": 1.5})
add(G, "interpolate/bilinear-scale-1.7", "interpolate", lambda x: F.interpolate(x, scale_factor=1.7, mode="bilinear"), [f(rn(1, 1, 3, 4))], {"scaleFactor": 1.7, "mode": "bilinear"})
add(G, "interpolate/bilinear-down", "interpolate", lambda x: F.interpolate(x, size=(2, 3), mode="bilinear"), [f(rn(1, 2, 5, 7))], {"size": [2, 3], "mode": "bilinear"})
add(G, "interpolate/nearest-exact-down", "interpolate", lambda x: F.interpolate(x, size=(2, 3), mode="nearest-exact"), [f(rn(1, 1, 5, 7))], {"size": [2, 3], "mode": "nearest-exact"})
add(G, "norm/p0", "norm", lambda x: torch.norm(x, 0, 1), [f([[0.0, 1.0, -2.0], [0.0, 0.0, 3.0]])], {"p": 0, "dim": 1})
add(G, "norm/neg-inf", "norm", lambda x: torch.norm(x, -INF, 1), [f([[0.5, 1.0, -2.0], [4.0, -0.25, 3.0]])], {"p": "-inf", "dim": 1})
add(G, "norm/p2-dims", "norm", lambda x: torch.norm(x, 2, (0, 2)), [f(rn(2, 3, 2))], {"p": 2, "dim": [0, 2]})
add(G, "cumsum/neg-dim-3d", "cumsum", lambda x: torch.cumsum(x, -1), [f(rn(2, 2, 3))], {"dim": -1})
add(G, "cumprod/neg-and-zero-3d", "cumprod", lambda x: torch.cumprod(x, 1), [f([[[1.0, -2.0], [0.0, 3.0], [2.0, 0.0]]])], {"dim": 1})
add(G, "topk/k1-3d", "topk", lambda x: torch.topk(x, 1, -1), [f(rn(2, 2, 4))], {"k": 1, "dim": -1})
add(G, "sort/3d-dim1-desc", "sort", lambda x: torch.sort(x, 1, descending=True), [f(rn(2, 3, 2))], {"dim": 1, "descending": True})
add(G, "einsum/bilinear", "einsum", lambda a, b, c_: torch.einsum("bi,ij,bj->b", a, b, c_), [f(rn(2, 3)), f(rn(3, 4)), f(rn(2, 4))], {"eq": "bi,ij,bj->b"})
add(G, "convTranspose2d/output-padding-tuple", "convTranspose2d", lambda x, w: F.conv_transpose2d(x, w, stride=(2, 3), padding=(0, 1), output_padding=(1, 2)),
    [f(rn(1, 1, 2, 3)), f(rn(1, 2, 2, 3))], {"stride": [2, 3], "padding": [0, 1], "outputPadding": [1, 2]})
add(G, "klDiv/mean", "klDiv", lambda x, t: F.kl_div(x, t, reduction="mean"), [f(lp), c(torch.softmax(rn(3, 4), 1))], {"reduction": "mean"})

# ---- the remaining exports -----------------------------------------------------------------
add(G, "view/plain", "view", lambda x: x.view(4, 3), [f(rn(3, 4))], {"shape": [4, 3]})
add(G, "contiguous/permuted", "contiguousT", lambda x: x.t().contiguous(), [f(rn(3, 4))])
add(G, "detach/no-grad", "detachMul", lambda x: x.detach() * x, [f(rn(3))])
add(G, "equal/values", "equal", lambda a, b_: torch.tensor(torch.equal(a, b_)), [c([1.0, 2.0, NAN]), c([1.0, 2.0, NAN])])
add(G, "equal/same", "equal", lambda a, b_: torch.tensor(torch.equal(a, b_)), [c([1.0, 2.0, 3.0]), c([1.0, 2.0, 3.0])])
add(G, "allclose/tol", "allclose", lambda a, b_: torch.tensor(torch.allclose(a, b_, rtol=1e-3, atol=0.0)), [c([1.0, 2.0, 1e4]), c([1.0005, 2.001, 1e4 + 5])], {"rtol": 1e-3, "atol": 0})
add(G, "allclose/nan", "allclose", lambda a, b_: torch.tensor(torch.allclose(a, b_, equal_nan=True)), [c([1.0, NAN]), c([1.0, NAN])], {"equalNan": True})
add(G, "step/heaviside", "step", lambda x: torch.heaviside(x, torch.tensor(0.5, dtype=x.dtype)), [c([-1.0, 0.0, 2.0, -0.0])], {"valueAtZero": 0.5})
add(G, "step/heaviside-default", "step", lambda x: torch.heaviside(x, torch.tensor(1.0, dtype=x.dtype)), [c([-1.0, 0.0, 2.0])])
module_case("ConvTranspose1d/stride", "ConvTranspose1d", lambda: nn.ConvTranspose1d(2, 3, 3, stride=2, padding=1, output_padding=1), rn(2, 2, 4),
            {"args": [2, 3, 3], "stride": 2, "padding": 1, "outputPadding": 1}, group=G)
module_case("Upsample/nearest-size", "Upsample", lambda: nn.Upsample(size=(3, 5)), rn(1, 2, 2, 3), {"size": [3, 5]}, group=G)
add(G, "interpolate/trilinear", "interpolate", lambda x: F.interpolate(x, size=(3, 2, 4), mode="trilinear"), [f(rn(1, 1, 2, 3, 2))], {"size": [3, 2, 4], "mode": "trilinear"})
add(G, "interpolate/linear-align", "interpolate", lambda x: F.interpolate(x, size=6, mode="linear", align_corners=True), [f(rn(1, 2, 4))], {"size": 6, "mode": "linear", "alignCorners": True})
add(G, "interpolate/nearest-1d", "interpolate", lambda x: F.interpolate(x, scale_factor=3), [f(rn(1, 2, 3))], {"scaleFactor": 3})
add(G, "interpolate/nearest-3d", "interpolate", lambda x: F.interpolate(x, size=(2, 4, 3)), [f(rn(1, 1, 1, 3, 2))], {"size": [2, 4, 3]})
add(G, "conv1d/groups-2", "conv1d", lambda x, w, b_: F.conv1d(x, w, b_, groups=2, stride=2), [f(rn(1, 4, 9)), f(rn(6, 2, 3)), f(rn(6))], {"groups": 2, "stride": 2})
add(G, "convTranspose1d/groups-dil", "convTranspose1d", lambda x, w: F.conv_transpose1d(x, w, groups=2, dilation=2, padding=1), [f(rn(1, 4, 5)), f(rn(4, 3, 3))], {"groups": 2, "dilation": 2, "padding": 1})
add(G, "fold/stride-pad-dil", "foldOpts", lambda x: F.fold(x, (5, 4), 2, stride=2, padding=1, dilation=1), [f(rn(1, 8, 9))], {"outputSize": [5, 4], "kernelSize": 2, "stride": 2, "padding": 1})
