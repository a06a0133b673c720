# Parity cases for the tensor ops (elementwise, reductions, matmul, movement, join, indexing)
# and their edge values: kinks, ties, ±inf, all -inf rows, NaN, huge and tiny magnitudes.
# Imported by gen.py; each `op` names a runner in parity-runners.ts.
import torch
from gen import INF, NAN, T, add, b, c, f, i, pos, rn

G = "ops"

# ---- unary -------------------------------------------------------------------------------
UNARY = {
    "neg": torch.neg, "exp": torch.exp, "log": torch.log, "log1p": torch.log1p, "expm1": torch.expm1,
    "sqrt": torch.sqrt, "rsqrt": torch.rsqrt, "abs": torch.abs, "sin": torch.sin, "cos": torch.cos,
    "tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu, "sign": torch.sign,
    "floor": torch.floor, "ceil": torch.ceil, "round": torch.round, "reciprocal": torch.reciprocal,
    "square": torch.square, "erf": torch.erf,
}
POSITIVE = {"log", "sqrt", "rsqrt", "log1p"}
for name, fn in UNARY.items():
    x = pos(2, 3) if name in POSITIVE else rn(2, 3, scale=1.5)
    add(G, f"{name}/random", name, fn, [f(x)])

EDGES = {
    "relu": [[-1.0, 0.0, -0.0, 2.0, NAN, -INF, INF]],
    "abs": [[-2.0, 0.0, -0.0, 3.0, -INF, NAN]],
    "exp": [[-1000.0, -INF, 0.0, 80.0, 100.0, 800.0, INF, NAN]],
    "log": [[0.0, 1e-300, 1e-30, 1.0, INF, -1.0, NAN]],
    "log1p": [[-1.0, 1e-20, -1e-20, 1e10, INF]],
    "expm1": [[1e-20, -1e-20, -INF, 100.0, 800.0]],
    "sqrt": [[0.0, 4.0, 1e-300, INF, -1.0]],
    "rsqrt": [[0.0, 4.0, INF]],
    "sigmoid": [[-100.0, 100.0, 0.0, -INF, INF, -800.0, 800.0, NAN]],
    "tanh": [[-100.0, 100.0, 0.0, INF, -INF, 1e-30]],
    "reciprocal": [[0.0, -0.0, INF, 1e-300]],
    "square": [[1e200, -1e200, 1e20, 0.0, INF]],
    "erf": [[0.0, 10.0, -10.0, 1e-30, INF, -INF]],
    "round": [[0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994]],
    "sign": [[0.0, -0.0, 3.0, -INF, NAN]],
    "floor": [[-0.5, 0.5, -INF, NAN]],
    "sin": [[0.0, 1e10, INF]],
    "cos": [[0.0, 1e10]],
}
for name, vals in EDGES.items():
    add(G, f"{name}/edges", name, UNARY[name], [f(v) for v in vals])

# ---- binary ------------------------------------------------------------------------------
BINARY = {
    "add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div, "pow": torch.pow,
    "maximum": torch.maximum, "minimum": torch.minimum, "remainder": torch.remainder, "atan2": torch.atan2,
}
for name, fn in BINARY.items():
    a = pos(2, 3) if name == "pow" else rn(2, 3)
    bb = rn(2, 3) if name != "remainder" else rn(2, 3) + 2.5
    add(G, f"{name}/random", name, fn, [f(a), f(bb)])
    add(G, f"{name}/broadcast", name, fn, [f(pos(2, 1, 3) if name == "pow" else rn(2, 1, 3)), f(rn(4, 1) + (3 if name == "remainder" else 0))])
add(G, "maximum/ties", "maximum", torch.maximum, [f([1.0, 2.0, 3.0, 0.0, -INF]), f([1.0, 0.0, 3.0, -0.0, -INF])])
add(G, "minimum/ties", "minimum", torch.minimum, [f([1.0, 2.0, 3.0, 0.0, INF]), f([1.0, 0.0, 3.0, -0.0, INF])])
add(G, "maximum/nan", "maximum", torch.maximum, [f([NAN, 1.0, NAN]), f([1.0, NAN, NAN])])
add(G, "div/zero", "div", torch.div, [f([1.0, -1.0, 0.0, INF, 1e300]), f([0.0, 0.0, 0.0, INF, 1e-300])])
add(G, "pow/edges", "pow", torch.pow, [f([0.0, 0.0, 2.0, -2.0, -2.0, 1e200, 0.0]), f([0.0, 2.0, 0.5, 2.0, 0.5, 2.0, -1.0])])
add(G, "mul/inf-zero", "mul", torch.mul, [f([INF, 0.0, NAN, 1e200]), f([0.0, 5.0, 1.0, 1e200])])
add(G, "remainder/signs", "remainder", torch.remainder, [f([-3.0, 3.0, -3.0, 5.5, 0.0]), f([2.0, -2.0, -2.0, 2.0, 3.0])])
add(G, "atan2/zeros", "atan2", torch.atan2, [f([0.0, 1.0, -1.0, 0.0]), f([1.0, 0.0, 0.0, -1.0])])
for name in ["powScalar"]:
    add(G, "powScalar/2.5", name, lambda x: torch.pow(x, 2.5), [f(pos(2, 3))], {"p": 2.5})
    add(G, "powScalar/3-neg", name, lambda x: torch.pow(x, 3), [f(rn(5))], {"p": 3})
    add(G, "powScalar/0.5-at-zero", name, lambda x: torch.pow(x, 0.5), [f([0.0, 1.0, 4.0])], {"p": 0.5})
    add(G, "powScalar/0", name, lambda x: torch.pow(x, 0), [f([0.0, 1.0, -2.0])], {"p": 0})
    add(G, "powScalar/-1", name, lambda x: torch.pow(x, -1), [f([0.0, 2.0, -4.0])], {"p": -1})
    add(G, "powScalar/1.5-neg", name, lambda x: torch.pow(x, 1.5), [f([-1.0, 0.0, 4.0])], {"p": 1.5})

# ---- comparisons and logic (outputs only) ------------------------------------------------
CMP = {"eq": torch.eq, "ne": torch.ne, "lt": torch.lt, "le": torch.le, "gt": torch.gt, "ge": torch.ge}
ca = [1.0, 2.0, NAN, INF, -0.0, 3.0]
cb = [1.0, 1.0, NAN, INF, 0.0, 4.0]
for name, fn in CMP.items():
    add(G, f"{name}/ties-nan", name, fn, [c(ca), c(cb)])
LOGIC = {"logicalAnd": torch.logical_and, "logicalOr": torch.logical_or, "logicalXor": torch.logical_xor}
for name, fn in LOGIC.items():
    add(G, f"{name}/table", name, fn, [b([True, True, False, False]), b([True, False, True, False])])
add(G, "logicalNot/table", "logicalNot", torch.logical_not, [b([True, False])])
add(G, "isnan/values", "isnan", torch.isnan, [c([NAN, 1.0, INF, -INF])])

# ---- where and clamp ---------------------------------------------------------------------
add(G, "where/random", "where", torch.where, [b([[True, False, True], [False, False, True]]), f(rn(2, 3)), f(rn(2, 3))])
add(G, "where/broadcast", "where", torch.where, [b([[True], [False]]), f(rn(3)), f(rn(2, 1))])
add(G, "where/scalar-branch", "whereScalar", lambda cond, x: torch.where(cond, x, 0.0), [b([True, False, True]), f(rn(3))])
# Overflow in the branch `where` does not select: PyTorch's gradient is NaN there too.
add(G, "where/overflow-unselected", "whereExpBranch", lambda x: torch.where(x > 0, x, torch.exp(x * 1000)),
    [f([-1.0, -0.001, 0.5, 2.0])])
add(G, "clamp/bounds", "clamp", lambda x: torch.clamp(x, -1.0, 1.0), [f([-2.0, -1.0, 0.0, 1.0, 2.0, NAN, INF])], {"min": -1, "max": 1})
add(G, "clamp/min-only", "clamp", lambda x: torch.clamp(x, min=0.0), [f([-1.0, 0.0, 1.0])], {"min": 0})
add(G, "clamp/max-only", "clamp", lambda x: torch.clamp(x, max=0.5), [f([-1.0, 0.5, 1.0])], {"max": 0.5})
add(G, "clamp/tensor-bounds", "clampT", torch.clamp, [f([-2.0, 0.0, 0.5, 3.0, 1.0]), f([-1.0, 0.0, 0.0, 0.0, 2.0]), f([1.0, 1.0, 0.5, 2.0, 1.0])])

# ---- reductions --------------------------------------------------------------------------
x23 = rn(2, 3, 4)
add(G, "sum/all", "sum", lambda x: x.sum(), [f(x23)])
add(G, "sum/dim1-keepdim", "sum", lambda x: x.sum(1, keepdim=True), [f(x23)], {"dims": 1, "keepdim": True})
add(G, "sum/dims-0-2", "sum", lambda x: x.sum((0, 2)), [f(x23)], {"dims": [0, 2]})
add(G, "sum/neg-dim", "sum", lambda x: x.sum(-1), [f(x23)], {"dims": -1})
add(G, "sum/inf", "sum", lambda x: x.sum(1), [f([[INF, -INF], [INF, 1.0], [NAN, 1.0]])], {"dims": 1})
add(G, "mean/all", "mean", lambda x: x.mean(), [f(x23)])
add(G, "mean/dim0", "mean", lambda x: x.mean(0), [f(x23)], {"dims": 0})
add(G, "prod/dim", "prod", lambda x: x.prod(1), [f(rn(3, 4))], {"dims": 1})
add(G, "prod/all", "prod", lambda x: x.prod(), [f(rn(5))])
add(G, "prod/one-zero", "prod", lambda x: x.prod(1), [f([[2.0, 0.0, 3.0], [1.0, 2.0, 3.0]])], {"dims": 1})
add(G, "prod/two-zeros", "prod", lambda x: x.prod(1), [f([[0.0, 0.0, 3.0], [1.0, 2.0, 3.0]])], {"dims": 1})
add(G, "max/all", "maxAll", lambda x: x.max(), [f(rn(3, 4))])
add(G, "max/all-ties", "maxAll", lambda x: x.max(), [f([[1.0, 3.0], [3.0, 0.0]])])
add(G, "min/all-ties", "minAll", lambda x: x.min(), [f([[1.0, -3.0], [-3.0, 0.0]])])
add(G, "max/dim", "maxDim", lambda x: torch.max(x, 1), [f(rn(3, 4))], {"dim": 1})
add(G, "max/dim-keepdim", "maxDim", lambda x: torch.max(x, 0, keepdim=True), [f(rn(3, 4))], {"dim": 0, "keepdim": True})
add(G, "min/dim", "minDim", lambda x: torch.min(x, 1), [f(rn(3, 4))], {"dim": 1})
add(G, "max/all-neg-inf-row", "maxDim", lambda x: torch.max(x, 1), [f([[-INF, -INF, -INF], [1.0, -INF, 2.0]])], {"dim": 1})
add(G, "amax/ties", "amax", lambda x: torch.amax(x, 1), [f([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])], {"dims": 1})
add(G, "amin/ties", "amin", lambda x: torch.amin(x, 1), [f([[1.0, 1.0, 3.0], [2.0, 0.0, 2.0]])], {"dims": 1})
add(G, "amax/neg-inf-row", "amax", lambda x: torch.amax(x, 1), [f([[-INF, -INF], [0.0, 1.0]])], {"dims": 1})
add(G, "amax/nan", "amax", lambda x: torch.amax(x, 1), [f([[NAN, 1.0], [0.0, 1.0]])], {"dims": 1})
add(G, "argmax/ties", "argmax", lambda x: torch.argmax(x, 1), [c([[1.0, 3.0, 3.0], [2.0, 2.0, 1.0]])], {"dim": 1})
add(G, "argmin/ties", "argmin", lambda x: torch.argmin(x, 1), [c([[1.0, 1.0, 3.0], [2.0, 0.0, 0.0]])], {"dim": 1})
add(G, "argmax/all", "argmax", lambda x: torch.argmax(x), [c(rn(3, 4))])
add(G, "var/dim", "var", lambda x: torch.var(x, 1), [f(rn(3, 4))], {"dims": 1})
add(G, "var/correction0-keepdim", "var", lambda x: torch.var(x, 1, correction=0, keepdim=True), [f(rn(3, 4))], {"dims": 1, "keepdim": True, "correction": 0})
add(G, "var/all", "var", lambda x: torch.var(x), [f(rn(3, 4))])
add(G, "std/dim", "std", lambda x: torch.std(x, 0), [f(rn(3, 4))], {"dims": 0})
add(G, "std/unbiased-false", "std", lambda x: torch.std(x, 1, unbiased=False), [f(rn(3, 4))], {"dims": 1, "unbiased": False})
add(G, "logsumexp/dim", "logsumexp", lambda x: torch.logsumexp(x, 1), [f(rn(3, 4))], {"dims": 1})
add(G, "logsumexp/keepdim", "logsumexp", lambda x: torch.logsumexp(x, 0, keepdim=True), [f(rn(3, 4))], {"dims": 0, "keepdim": True})
add(G, "logsumexp/neg-inf-row", "logsumexp", lambda x: torch.logsumexp(x, 1), [f([[-INF, -INF, -INF], [0.0, -INF, 1.0]])], {"dims": 1})
add(G, "logsumexp/pos-inf", "logsumexp", lambda x: torch.logsumexp(x, 1), [f([[INF, 0.0], [1.0, 2.0]])], {"dims": 1})
add(G, "logsumexp/huge", "logsumexp", lambda x: torch.logsumexp(x, 1), [f([[1e4, 1e4, 0.0], [-1e4, -1e4 + 1, -1e4]])], {"dims": 1})
add(G, "all/dim", "all", lambda x: torch.all(x, 1), [b([[True, True], [True, False]])], {"dims": 1})
add(G, "any/dim", "any", lambda x: torch.any(x, 1), [b([[False, False], [True, False]])], {"dims": 1})

# ---- matmul ------------------------------------------------------------------------------
add(G, "matmul/2d", "matmul", torch.matmul, [f(rn(3, 4)), f(rn(4, 2))])
add(G, "matmul/batched-broadcast", "matmul", torch.matmul, [f(rn(2, 3, 4)), f(rn(4, 5))])
add(G, "matmul/vec-mat", "matmul", torch.matmul, [f(rn(4)), f(rn(4, 3))])
add(G, "matmul/mat-vec", "matmul", torch.matmul, [f(rn(3, 4)), f(rn(4))])
add(G, "mm/inf", "mm", torch.mm, [f([[1.0, INF], [0.0, 1.0]]), f([[1.0, 0.0], [1.0, 1.0]])])
add(G, "dot/1d", "dot", torch.dot, [f(rn(5)), f(rn(5))])
add(G, "bmm/3d", "bmm", torch.bmm, [f(rn(2, 3, 4)), f(rn(2, 4, 2))])

# ---- movement ----------------------------------------------------------------------------
x34 = rn(3, 4)
add(G, "reshape/-1", "reshape", lambda x: x.reshape(2, -1), [f(x34)], {"shape": [2, -1]})
add(G, "flatten/1", "flatten", lambda x: torch.flatten(x, 1), [f(rn(2, 3, 2))], {"start": 1})
add(G, "squeeze/dim", "squeeze", lambda x: x.squeeze(1), [f(rn(3, 1, 2))], {"dim": 1})
add(G, "unsqueeze/-1", "unsqueeze", lambda x: x.unsqueeze(-1), [f(rn(3, 2))], {"dim": -1})
add(G, "permute/201", "permute", lambda x: x.permute(2, 0, 1), [f(rn(2, 3, 4))], {"dims": [2, 0, 1]})
add(G, "transpose/0-2", "transpose", lambda x: x.transpose(0, 2), [f(rn(2, 3, 4))], {"d0": 0, "d1": 2})
add(G, "expand/rows", "expand", lambda x: x.expand(3, 4), [f(rn(1, 4))], {"shape": [3, 4]})
add(G, "narrow/1", "narrow", lambda x: x.narrow(1, 1, 2), [f(x34)], {"dim": 1, "start": 1, "length": 2})
add(G, "select/neg", "select", lambda x: x.select(0, -1), [f(x34)], {"dim": 0, "index": -1})
add(G, "repeat/2-1-2", "repeat", lambda x: x.repeat(2, 1, 2), [f(rn(2, 3))], {"sizes": [2, 1, 2]})
add(G, "clone/plain", "clone", torch.clone, [f(x34)])

# ---- join --------------------------------------------------------------------------------
add(G, "cat/dim1", "cat", lambda a, bb: torch.cat([a, bb], 1), [f(rn(2, 3)), f(rn(2, 2))], {"dim": 1})
add(G, "stack/dim-1", "stack", lambda a, bb: torch.stack([a, bb], -1), [f(rn(2, 3)), f(rn(2, 3))], {"dim": -1})
add(G, "split/sizes", "split", lambda x: torch.split(x, [1, 3], 1), [f(rn(2, 4))], {"sizes": [1, 3], "dim": 1})
add(G, "chunk/3", "chunk", lambda x: torch.chunk(x, 3, 0), [f(rn(5, 2))], {"chunks": 3, "dim": 0})
add(G, "unbind/1", "unbind", lambda x: torch.unbind(x, 1), [f(rn(2, 3))], {"dim": 1})

# ---- indexing ----------------------------------------------------------------------------
add(G, "gather/dim1", "gather", lambda x, idx: torch.gather(x, 1, idx), [f(rn(3, 4)), i([[0, 3], [1, 1], [2, 0]])], {"dim": 1})
add(G, "scatterAdd/dim0", "scatterAdd", lambda x, idx, s: x.scatter_add(0, idx, s), [f(rn(3, 2)), i([[0, 1], [0, 2]]), f(rn(2, 2))], {"dim": 0})
add(G, "indexSelect/repeat", "indexSelect", lambda x, idx: torch.index_select(x, 0, idx), [f(rn(3, 2)), i([2, 0, 2])], {"dim": 0})
add(G, "indexAdd/dup", "indexAdd", lambda x, idx, s: x.index_add(0, idx, s), [f(rn(3, 2)), i([1, 1]), f(rn(2, 2))], {"dim": 0})
add(G, "maskedFill/inf", "maskedFill", lambda x, m: x.masked_fill(m, -INF), [f(rn(2, 3)), b([[True, False, False], [False, True, True]])], {"value": "-inf"})
add(G, "maskedSelect/plain", "maskedSelect", torch.masked_select, [f(rn(2, 3)), b([[True, False, False], [False, True, True]])])
