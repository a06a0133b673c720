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
