# Second-order parity: each case's outputs are the first-order input gradients of Σ f(x)·u
# (u = fill(shape, 30)) taken with create_graph, so the harness's backward through them checks
# PyTorch's double backward (Hessian-vector products) of f. `inner` names f's runner.
import torch
import torch.nn.functional as F
from gen import add, b, c, f, fill, i, pos, rn

G = "grad2"
gen_mod = __import__("gen")
gen_mod._gen.manual_seed(9012)
torch.manual_seed(9012)


def grad2(cid, inner, fn, ins, opts=None):
    def g(*xs):
        out = fn(*xs)
        u = fill(out.shape, 30).to(out.dtype)
        leaves = [x for x in xs if x.requires_grad]
        gs = torch.autograd.grad((out * u).sum(), leaves, create_graph=True, allow_unused=True)
        return tuple(torch.zeros_like(x) if gr is None else gr for x, gr in zip(leaves, gs))

    add(G, cid, "grad2", g, ins, {"inner": inner, "innerOptions": opts or {}})


KINK = [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]
for name, fn in [("tanh", torch.tanh), ("sigmoid", torch.sigmoid), ("exp", torch.exp), ("sin", torch.sin), ("erf", torch.erf),
                 ("abs", torch.abs), ("relu", torch.relu), ("square", torch.square), ("neg", torch.neg)]:
    grad2(f"{name}/kinks", name, fn, [f(KINK)])
for name, fn in [("log", torch.log), ("sqrt", torch.sqrt), ("rsqrt", torch.rsqrt), ("reciprocal", torch.reciprocal), ("log1p", torch.log1p)]:
    grad2(f"{name}/positive", name, fn, [f(pos(5))])
for name, fn in [("softplus", F.softplus), ("elu", F.elu), ("gelu", F.gelu), ("silu", F.silu), ("hardtanh", F.hardtanh), ("leakyRelu", F.leaky_relu),
                 ("logSigmoid", F.logsigmoid), ("selu", F.selu), ("softsign", F.softsign), ("relu6", F.relu6)]:
    grad2(f"{name}/kinks", name, fn, [f(KINK)])
grad2("gelu/tanh", "gelu", lambda x: F.gelu(x, approximate="tanh"), [f(KINK)], {"approximate": "tanh"})
grad2("softplus/beta", "softplus", lambda x: F.softplus(x, beta=2.0, threshold=3.0), [f(KINK)], {"beta": 2, "threshold": 3})
for name in ["mul", "div", "pow", "maximum", "minimum", "atan2", "sub"]:
    fn = getattr(torch, name)
    a = pos(2, 3) if name == "pow" else rn(2, 3)
    grad2(f"{name}/random", name, fn, [f(a), f(rn(2, 3))])
grad2("maximum/ties", "maximum", torch.maximum, [f([1.0, 2.0, 0.0]), f([1.0, 0.0, 0.0])])
grad2("powScalar/2.5", "powScalar", lambda x: torch.pow(x, 2.5), [f(pos(4))], {"p": 2.5})
grad2("where/random", "where", torch.where, [b([[True, False, True], [False, True, False]]), f(rn(2, 3)), f(rn(2, 3))])
grad2("clamp/bounds", "clamp", lambda x: torch.clamp(x, -1.0, 1.0), [f(KINK)], {"min": -1, "max": 1})
grad2("sum/dim", "sum", lambda x: x.sum(1), [f(rn(2, 3))], {"dims": 1})
grad2("prod/dim", "prod", lambda x: x.prod(1), [f(rn(2, 4))], {"dims": 1})
grad2("prod/one-zero", "prod", lambda x: x.prod(1), [f([[2.0, 0.0, 3.0], [1.0, -2.0, 3.0]])], {"dims": 1})
grad2("var/dim", "var", lambda x: torch.var(x, 1), [f(rn(2, 4))], {"dims": 1})
grad2("std/dim", "std", lambda x: torch.std(x, 1), [f(rn(2, 4))], {"dims": 1})
grad2("logsumexp/dim", "logsumexp", lambda x: torch.logsumexp(x, 1), [f(rn(2, 4))], {"dims": 1})
grad2("amax/ties", "amax", lambda x: torch.amax(x, 1), [f([[1.0, 3.0, 3.0], [0.0, 2.0, 1.0]])], {"dims": 1})
grad2("maxDim/plain", "maxDim", lambda x: torch.max(x, 1).values, [f(rn(2, 4))], {"dim": 1})
grad2("softmax/dim1", "softmax", lambda x: F.softmax(x, 1), [f(rn(2, 4))], {"dim": 1})
grad2("logSoftmax/dim1", "logSoftmax", lambda x: F.log_softmax(x, 1), [f(rn(2, 4))], {"dim": 1})
grad2("matmul/2d", "matmul", torch.matmul, [f(rn(2, 3)), f(rn(3, 2))])
grad2("cumprod/dim1", "cumprod", lambda x: torch.cumprod(x, 1), [f(rn(2, 4))], {"dim": 1})
grad2("cumsum/dim1", "cumsum", lambda x: torch.cumsum(x, 1), [f(rn(2, 4))], {"dim": 1})
grad2("norm/fro", "norm", lambda x: torch.norm(x), [f(rn(2, 3))])
grad2("norm/p3-dim", "norm", lambda x: torch.norm(x, 3, 1), [f(rn(2, 3))], {"p": 3, "dim": 1})
grad2("mseLoss/mean", "mseLoss", F.mse_loss, [f(rn(2, 3)), f(rn(2, 3))])
grad2("l1Loss/kink", "l1Loss", F.l1_loss, [f([1.0, 2.0, 0.5]), c([1.0, 0.0, 3.0])])
grad2("huberLoss/kinks", "huberLoss", lambda x, t: F.huber_loss(x, t, reduction="sum"), [f([0.0, 0.5, 1.0, 2.0, -3.0]), c([0.0] * 5)], {"reduction": "sum"})
grad2("smoothL1Loss/beta", "smoothL1Loss", lambda x, t: F.smooth_l1_loss(x, t, beta=0.5), [f([0.0, 0.25, 0.5, 2.0]), c([0.0] * 4)], {"beta": 0.5})
grad2("crossEntropy/mean", "crossEntropy", F.cross_entropy, [f(rn(3, 4)), i([0, 3, 1])])
grad2("crossEntropy/smoothing", "crossEntropy", lambda x, t: F.cross_entropy(x, t, label_smoothing=0.2), [f(rn(3, 4)), i([0, 3, 1])], {"labelSmoothing": 0.2})
grad2("nllLoss/mean", "nllLoss", F.nll_loss, [f(rn(3, 4)), i([0, 3, 1])])
grad2("bce/mean", "bce", F.binary_cross_entropy, [f(torch.sigmoid(rn(2, 3))), c(torch.rand(2, 3))])
grad2("bce/target-grad", "bce", F.binary_cross_entropy, [f(torch.sigmoid(rn(2, 3))), f(torch.rand(2, 3))])
grad2("bceWithLogits/mean", "bceWithLogits", F.binary_cross_entropy_with_logits, [f([-2.0, 0.0, 3.0, 0.5]), c([0.0, 1.0, 0.3, 1.0])])
grad2("marginRankingLoss/plain", "marginRankingLoss", F.margin_ranking_loss, [f(rn(4)), f(rn(4)), c([1.0, -1.0, 1.0, -1.0])])
grad2("layerNorm/affine", "layerNorm", lambda x, w, b_: F.layer_norm(x, [4], w, b_), [f(rn(2, 4)), f(rn(4)), f(rn(4))], {"shape": [4]})
grad2("batchNorm/train", "batchNorm", lambda x: F.batch_norm(x, None, None, training=True), [f(rn(4, 3))], {"training": True})
grad2("normalize/default", "normalize", F.normalize, [f(rn(2, 3))])
grad2("cosineSimilarity/dim1", "cosineSimilarity", F.cosine_similarity, [f(rn(2, 3)), f(rn(2, 3))])
grad2("conv2d/plain", "conv2d", F.conv2d, [f(rn(1, 2, 4, 4)), f(rn(2, 2, 3, 3)), f(rn(2))])
grad2("linear/bias", "linear", F.linear, [f(rn(2, 3)), f(rn(4, 3)), f(rn(4))])
grad2("klDiv/batchmean", "klDiv", lambda x, t: F.kl_div(x, t, reduction="batchmean"), [f(torch.log_softmax(rn(2, 3), 1)), c(torch.softmax(rn(2, 3), 1))], {"reduction": "batchmean"})


# ---- backward passes differentiable in the incoming gradient: f(x)² makes it depend on x ------
def grad2sq(cid, inner, fn, ins, opts=None):
    def sq(*xs):
        out = fn(*xs)
        out = out[0] if isinstance(out, tuple) else out
        return out * out

    def g(*xs):
        out = sq(*xs)
        u = fill(out.shape, 30).to(out.dtype)
        leaves = [x for x in xs if x.requires_grad]
        gs = torch.autograd.grad((out * u).sum(), leaves, create_graph=True, allow_unused=True)
        return tuple(torch.zeros_like(x) if gr is None else gr for x, gr in zip(leaves, gs))

    add(G, cid, "grad2", g, ins, {"inner": inner, "innerOptions": opts or {}, "square": True})


grad2sq("sq/maxPool2d", "maxPool2d", lambda x: F.max_pool2d(x, 2), [f(rn(1, 2, 4, 4))], {"kernelSize": 2})
grad2sq("sq/avgPool2d", "avgPool2d", lambda x: F.avg_pool2d(x, 3, stride=2, padding=1), [f(rn(1, 1, 5, 5))], {"kernelSize": 3, "stride": 2, "padding": 1})
grad2sq("sq/adaptiveAvgPool2d", "adaptiveAvgPool2d", lambda x: F.adaptive_avg_pool2d(x, (2, 3)), [f(rn(1, 2, 5, 7))], {"outputSize": [2, 3]})
grad2sq("sq/conv2d", "conv2d", lambda x, w: F.conv2d(x, w, stride=2, padding=1), [f(rn(1, 2, 5, 5)), f(rn(2, 2, 3, 3))], {"stride": 2, "padding": 1})
grad2sq("sq/conv1d", "conv1d", F.conv1d, [f(rn(2, 2, 6)), f(rn(3, 2, 3))])
grad2sq("sq/convTranspose2d", "convTranspose2d", lambda x, w: F.conv_transpose2d(x, w, stride=2), [f(rn(1, 2, 3, 3)), f(rn(2, 1, 2, 2))], {"stride": 2})
grad2sq("sq/unfold", "unfold", lambda x: F.unfold(x, 2, stride=1, padding=1), [f(rn(1, 2, 3, 3))], {"kernelSize": 2, "stride": 1, "padding": 1})
grad2sq("sq/matmul", "matmul", torch.matmul, [f(rn(2, 3, 4)), f(rn(4, 2))])
grad2sq("sq/gather", "gather", lambda x, idx: torch.gather(x, 1, idx), [f(rn(3, 4)), i([[0, 3], [1, 1], [2, 0]])], {"dim": 1})
grad2sq("sq/indexSelect", "indexSelect", lambda x, idx: torch.index_select(x, 0, idx), [f(rn(3, 2)), i([2, 0, 2])], {"dim": 0})
grad2sq("sq/scatterAdd", "scatterAdd", lambda x, idx, s: x.scatter_add(0, idx, s), [f(rn(3, 2)), i([[0, 1], [0, 2]]), f(rn(2, 2))], {"dim": 0})
grad2sq("sq/softmax", "softmax", lambda x: F.softmax(x, 1), [f(rn(2, 4))], {"dim": 1})
grad2sq("sq/logSoftmax", "logSoftmax", lambda x: F.log_softmax(x, 1), [f(rn(2, 4))], {"dim": 1})
grad2sq("sq/cumsum", "cumsum", lambda x: torch.cumsum(x, 1), [f(rn(2, 4))], {"dim": 1})
grad2sq("sq/sort", "sort", lambda x: torch.sort(x, -1), [f(rn(2, 4))], {"dim": -1})
grad2sq("sq/topk", "topk", lambda x: torch.topk(x, 2, 1), [f(rn(2, 5))], {"k": 2, "dim": 1})
grad2sq("sq/maxDim", "maxDim", lambda x: torch.max(x, 1), [f(rn(3, 4))], {"dim": 1})
grad2sq("sq/padReflect", "padMode", lambda x: F.pad(x, (1, 2, 2, 1), mode="reflect"), [f(rn(1, 1, 3, 4))], {"padding": [1, 2, 2, 1], "mode": "reflect"})
grad2sq("sq/interpolate-bilinear", "interpolate", lambda x: F.interpolate(x, size=(3, 4), mode="bilinear"), [f(rn(1, 1, 2, 3))], {"size": [3, 4], "mode": "bilinear"})
grad2sq("sq/interpolate-nearest", "interpolate", lambda x: F.interpolate(x, scale_factor=2), [f(rn(1, 1, 2, 3))], {"scaleFactor": 2})
grad2sq("sq/layerNorm", "layerNorm", lambda x: F.layer_norm(x, [4]), [f(rn(2, 4))], {"shape": [4]})
grad2sq("sq/crossEntropy", "crossEntropy", F.cross_entropy, [f(rn(3, 4)), i([0, 3, 1])])
grad2sq("sq/crossEntropy-sum", "crossEntropy", lambda x, t: F.cross_entropy(x, t, reduction="sum"), [f(rn(3, 4)), i([0, 3, 1])], {"reduction": "sum"})
grad2sq("sq/linear", "linear", F.linear, [f(rn(2, 3)), f(rn(4, 3)), f(rn(4))])
grad2sq("sq/embedding", "embedding", lambda idx, w: F.embedding(idx, w), [i([[0, 2], [2, 1]]), f(rn(3, 4))])
grad2sq("sq/mean-dim", "mean", lambda x: x.mean(0), [f(rn(3, 4))], {"dims": 0})
grad2sq("sq/expand", "expand", lambda x: x.expand(3, 4), [f(rn(1, 4))], {"shape": [3, 4]})
grad2sq("sq/cat", "cat", lambda a, b_: torch.cat([a, b_], 1), [f(rn(2, 3)), f(rn(2, 2))], {"dim": 1})
grad2sq("sq/maskedFill", "maskedFill", lambda x, m: x.masked_fill(m, 0.5), [f(rn(2, 3)), b([[True, False, False], [False, True, True]])], {"value": 0.5})
