# Parity cases large enough for the backends' tiled and multi-workgroup paths (matmul tiles,
# reductions past one workgroup, wide softmax rows, conv with many channels). Inputs are written
# as their fill formula; outputs are reduced by a fixed weighting so the fixture stays small.
import torch
import torch.nn.functional as F
from gen import add, ffill, fill, i

G = "large"


def weighted(fn):
    """Σ fn(x)·w for a fixed w: one number out, full-size gradients back."""
    def g(*xs):
        out = fn(*xs)
        return (out * fill(out.shape, 40).to(out.dtype)).sum()
    return g


add(G, "matmul/17x40x33", "weighted", weighted(torch.matmul), [ffill([17, 40], 1), ffill([40, 33], 2)], {"inner": "matmul"})
add(G, "bmm/3x20x19x21", "weighted", weighted(torch.bmm), [ffill([3, 20, 19], 3), ffill([3, 19, 21], 4)], {"inner": "bmm"})
add(G, "sum/2100", "weighted", weighted(lambda x: x.sum(1)), [ffill([3, 700], 5)], {"inner": "sum", "innerOptions": {"dims": 1}})
add(G, "mean/dim0-600", "weighted", weighted(lambda x: x.mean(0)), [ffill([600, 2], 6)], {"inner": "mean", "innerOptions": {"dims": 0}})
add(G, "softmax/1000-wide", "weighted", weighted(lambda x: F.softmax(x, 1)), [ffill([1, 1000], 7, 10.0)], {"inner": "softmax", "innerOptions": {"dim": 1}})
add(G, "logsumexp/1000-wide", "weighted", weighted(lambda x: torch.logsumexp(x, 1)), [ffill([1, 1000], 8, 30.0)], {"inner": "logsumexp", "innerOptions": {"dims": 1}})
add(G, "amax/600", "weighted", weighted(lambda x: torch.amax(x, 1)), [ffill([2, 600], 9)], {"inner": "amax", "innerOptions": {"dims": 1}})
add(G, "var/500", "weighted", weighted(lambda x: torch.var(x, 1)), [ffill([3, 500], 10, 3.0)], {"inner": "var", "innerOptions": {"dims": 1}})
add(G, "conv2d/8ch-12x12", "weighted", weighted(lambda x, w, b: F.conv2d(x, w, b, padding=1)), [ffill([1, 8, 12, 12], 11), ffill([16, 8, 3, 3], 12, 0.3), ffill([16], 13)],
    {"inner": "conv2d", "innerOptions": {"padding": 1}})
add(G, "maxPool2d/16x16", "weighted", weighted(lambda x: F.max_pool2d(x, 2)), [ffill([1, 4, 16, 16], 14)], {"inner": "maxPool2d", "innerOptions": {"kernelSize": 2}})
add(G, "layerNorm/512", "weighted", weighted(lambda x: F.layer_norm(x, [512])), [ffill([3, 512], 15, 2.0)], {"inner": "layerNorm", "innerOptions": {"shape": [512]}})
add(G, "crossEntropy/64x40", "weighted", weighted(F.cross_entropy), [ffill([64, 40], 16, 4.0), i([k * 7 % 40 for k in range(64)])], {"inner": "crossEntropy"})
add(G, "cumsum/600", "weighted", weighted(lambda x: torch.cumsum(x, 1)), [ffill([1, 600], 17)], {"inner": "cumsum", "innerOptions": {"dim": 1}})
add(G, "sort/500", "weighted", weighted(lambda x: torch.sort(x, 1).values), [ffill([1, 500], 18)], {"inner": "sort", "innerOptions": {"dim": 1}})


def filled(m, dtype):
    m = m.to(dtype)
    with torch.no_grad():
        for k, (_, p) in enumerate(m.named_parameters()):
            p.copy_(fill(p.shape, k + 1))
    return m


add(G, "BatchNorm2d/8ch-10x10", "weighted", weighted(lambda x: filled(torch.nn.BatchNorm2d(8), x.dtype)(x)), [ffill([2, 8, 10, 10], 19, 2.0)],
    {"inner": "BatchNorm2d", "innerOptions": {"args": [8]}})
add(G, "Linear/64-to-48", "weighted", weighted(lambda x: filled(torch.nn.Linear(64, 48), x.dtype)(x)), [ffill([20, 64], 20)],
    {"inner": "Linear", "innerOptions": {"args": [64, 48]}})
add(G, "LSTM/16-hidden", "weighted", weighted(lambda x: filled(torch.nn.LSTM(8, 16), x.dtype)(x)[0]), [ffill([5, 4, 8], 21)],
    {"inner": "LSTM", "innerOptions": {"args": [8, 16]}})


def adamw_big(p, w, v):
    opt = torch.optim.AdamW([p], lr=0.05, weight_decay=0.1)
    outs = []
    for _ in range(3):
        opt.zero_grad()
        ((w * p * p).sum() * 0.5 + (v * p).sum()).backward()
        opt.step()
        outs.append(p.detach().clone())
    return tuple(o.sum().reshape(()) for o in outs) + (outs[-1],)


add(G, "AdamW/600", "optimBigSummed", adamw_big, [ffill([600], 22), ffill([600], 23, 0.2, kind="c"), ffill([600], 24, kind="c")],
    {"name": "AdamW", "steps": 3, "opts": {"lr": 0.05, "weightDecay": 0.1}})
