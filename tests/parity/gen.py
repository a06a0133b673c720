# Generates tests/parity/fixtures/*.json, the PyTorch reference replayed by parity.test.ts.
# Run: /work/venv-torch/bin/python tests/parity/gen.py (any PyTorch >= 1.13; the version used is
# recorded in every fixture file). Each case names a runner in parity.test.ts, its inputs, the
# options, the outputs and the input gradients of L = Σ out·upstream, computed in float64 and
# again in float32 (the webgpu variant). Non-finite numbers are written as "inf"/"-inf"/"nan".
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
torch.manual_seed(0)  # the few torch.rand calls without a generator
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
INF, NAN = math.inf, math.nan


def enc(v):
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


SHORT_F32 = [False]  # set while a float32 record is written (inputs keep every digit)


def flat(t):
    t = t.detach()
    if t._is_zerotensor():  # PyTorch's storage-less zeros (some double-backward results)
        t = torch.zeros(t.shape, dtype=t.dtype)
    values = t.reshape(-1).tolist()
    if t.dtype == torch.float32 and SHORT_F32[0]:  # 9 significant digits round-trip a float32 exactly
        values = [v if isinstance(v, bool) or not math.isfinite(v) else float("%.9g" % v) for v in values]
    return [enc(v) for v in values]


def fill(shape, seed, scale=1.0):
    n = math.prod(shape)
    return (scale * 0.5 * torch.sin(1.3 * torch.arange(n, dtype=torch.float64) + seed)).reshape(shape)


_gen = torch.Generator().manual_seed(1234)


def rn(*shape, scale=1.0):
    return torch.randn(*shape, generator=_gen) * scale


def pos(*shape):
    return torch.rand(*shape, generator=_gen) * 2 + 0.1


def T(values):
    return torch.tensor(values, dtype=torch.float64)


class In:
    """One input: kind f (float, requires grad), c (float constant), i (int), b (bool)."""

    def __init__(self, kind, value):
        self.kind = kind
        self.value = value if isinstance(value, torch.Tensor) else torch.tensor(value)

    def spec(self):
        if getattr(self, "fill_args", None):
            return {"kind": self.kind, "shape": list(self.value.shape), "fill": self.fill_args}
        return {"kind": self.kind, "shape": list(self.value.shape), "data": flat(self.value)}

    def make(self, dtype):
        if self.kind in "fc":
            t = self.value.to(dtype).clone()
            return t.requires_grad_(self.kind == "f")
        if self.kind == "i":
            return self.value.to(torch.int64)
        return self.value.to(torch.bool)


def f(v):
    return In("f", v if isinstance(v, torch.Tensor) else T(v))


def ffill(shape, seed, scale=1.0, kind="f"):
    """A large input written as its fill formula (seed, scale) instead of its values."""
    x = In(kind, fill(shape, seed, scale))
    x.fill_args = [seed, scale]
    return x


def c(v):
    return In("c", v if isinstance(v, torch.Tensor) else T(v))


def i(v):
    return In("i", torch.tensor(v, dtype=torch.int64))


def b(v):
    return In("b", torch.tensor(v, dtype=torch.bool))


GROUPS = {}


def as_tuple(out):
    if isinstance(out, torch.Tensor):
        return (out,)
    if hasattr(out, "values") and hasattr(out, "indices"):
        return (out.values, out.indices)
    return tuple(out)


def run_case(fn, ins, dtype, upstream, leaves_of):
    SHORT_F32[0] = dtype == torch.float32
    try:
        return _run_case(fn, ins, dtype, upstream)
    finally:
        SHORT_F32[0] = False


def _run_case(fn, ins, dtype, upstream):
    xs = [x.make(dtype) for x in ins]
    res = fn(*xs)
    extra = []
    if isinstance(res, dict):
        extra = res["leaves"]
        res = res["out"]
    outs = as_tuple(res)
    rec = {"out": [flat(o) for o in outs], "outShape": [list(o.shape) for o in outs],
           "outDtype": ["float" if o.is_floating_point() else "bool" if o.dtype == torch.bool else "int" for o in outs]}
    leaves = [x for x in xs if x.requires_grad] + extra
    loss = None
    ups = []
    for k, o in enumerate(outs):
        if not o.is_floating_point() or not o.requires_grad:
            ups.append(None)
            continue
        u = torch.ones(o.shape, dtype=dtype) if upstream == "sum" else fill(o.shape, 20 + k).to(dtype)
        ups.append(flat(u))
        term = (o * u).sum()
        loss = term if loss is None else loss + term
    if loss is not None and leaves:
        grads = torch.autograd.grad(loss, leaves, allow_unused=True)
        rec["grads"] = [None if g is None else flat(g) for g in grads]
    else:
        rec["grads"] = [None for _ in leaves]
    return rec, ups


def add(group, cid, op, fn, ins, opts=None, upstream="fixed", f32=True, f64=True):
    case = {"id": cid, "op": op, "options": opts or {}, "inputs": [x.spec() for x in ins]}
    if f64:
        rec, ups = run_case(fn, ins, torch.float64, upstream, None)
        case["f64"] = rec
        case["upstream"] = ups
    if f32:
        rec, ups = run_case(fn, ins, torch.float32, upstream, None)
        case["f32"] = rec
        case.setdefault("upstream", ups)
    GROUPS.setdefault(group, []).append(case)


def write():
    os.makedirs(OUT, exist_ok=True)
    total = 0
    for group, cases in GROUPS.items():
        ids = [c["id"] for c in cases]
        assert len(ids) == len(set(ids)), f"duplicate ids in {group}"
        with open(os.path.join(OUT, f"{group}.json"), "w") as fh:
            json.dump({"torch": torch.__version__, "group": group, "cases": cases}, fh, separators=(",", ":"))
            fh.write("\n")
        total += len(cases)
        print(f"{group}: {len(cases)} cases")
    print(f"total: {total} cases, torch {torch.__version__}")


if __name__ == "__main__":
    import gen  # this file as a module: the case files below fill gen.GROUPS
    import gen_ops  # noqa: F401
    import gen_nn  # noqa: F401
    import gen_optim  # noqa: F401
    import gen_extra  # noqa: F401
    import gen_edges  # noqa: F401
    import gen_grad2  # noqa: F401
    import gen_large  # noqa: F401
    gen.write()
