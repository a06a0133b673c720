# Parity cases for the rest of nn (parameterless modules, loss modules) and more edge values:
# NaN in reductions and pooling, ±inf logits, single-element variance, zero-variance std,
# batchNorm's running statistics, more optimizer options. Imported by gen.py.
import torch
import torch.nn as nn
import torch.nn.functional as F
from gen import INF, NAN, add, b, c, f, i, rn, pos
from gen_optim import optim_case

G = "edges"
# Own seeds: cases added to the files before this one do not change these inputs.
gen_mod = __import__("gen")
gen_mod._gen.manual_seed(5678)
torch.manual_seed(5678)


def simple_module(cid, make, ts, x, train=True):
    def fn(xt):
        m = make()
        m.train(train)
        return m(xt)

    add(G, cid, "SimpleModule", fn, [f(x)], {**ts, "train": train})


simple_module("ReLU/kinks", nn.ReLU, {"name": "ReLU"}, [-1.0, 0.0, 2.0])
simple_module("Tanh/plain", nn.Tanh, {"name": "Tanh"}, rn(2, 3))
simple_module("Sigmoid/plain", nn.Sigmoid, {"name": "Sigmoid"}, rn(2, 3))
simple_module("LeakyReLU/0.2", lambda: nn.LeakyReLU(0.2), {"name": "LeakyReLU", "args": [0.2]}, [-1.0, 0.0, 2.0])
simple_module("ELU/0.5", lambda: nn.ELU(0.5), {"name": "ELU", "args": [0.5]}, [-1.0, 0.0, 2.0])
simple_module("GELU/tanh", lambda: nn.GELU(approximate="tanh"), {"name": "GELU", "args": [{"approximate": "tanh"}]}, rn(2, 3))
simple_module("Softplus/beta", lambda: nn.Softplus(2.0, 10.0), {"name": "Softplus", "args": [2, 10]}, [-1.0, 0.0, 4.0, 6.0, 1000.0])
simple_module("Softmax/1", lambda: nn.Softmax(1), {"name": "Softmax", "args": [1]}, rn(2, 3))
simple_module("LogSoftmax/0", lambda: nn.LogSoftmax(0), {"name": "LogSoftmax", "args": [0]}, rn(2, 3))
simple_module("Identity/plain", nn.Identity, {"name": "Identity"}, rn(2, 3))
simple_module("Flatten/plain", nn.Flatten, {"name": "Flatten"}, rn(2, 2, 3))
simple_module("Unflatten/plain", lambda: nn.Unflatten(1, (2, 3)), {"name": "Unflatten", "args": [1, [2, 3]]}, rn(2, 6))
simple_module("MaxPool2d/stride", lambda: nn.MaxPool2d(3, stride=2, padding=1), {"name": "MaxPool2d", "args": [3, {"stride": 2, "padding": 1}]}, rn(1, 2, 5, 5))
simple_module("AvgPool2d/plain", lambda: nn.AvgPool2d(2), {"name": "AvgPool2d", "args": [2]}, rn(1, 2, 4, 4))
simple_module("AdaptiveAvgPool2d/1", lambda: nn.AdaptiveAvgPool2d(1), {"name": "AdaptiveAvgPool2d", "args": [1]}, rn(2, 2, 3, 3))
simple_module("Dropout/eval", lambda: nn.Dropout(0.5), {"name": "Dropout", "args": [0.5]}, rn(2, 3), train=False)
simple_module("UpsamplingNearest2d/2", lambda: nn.UpsamplingNearest2d(scale_factor=2), {"name": "UpsamplingNearest2d", "args": [None, 2]}, rn(1, 1, 2, 3))
simple_module("UpsamplingBilinear2d/2", lambda: nn.UpsamplingBilinear2d(scale_factor=2), {"name": "UpsamplingBilinear2d", "args": [None, 2]}, rn(1, 1, 2, 3))


def loss_module(cid, make, ts, ins):
    add(G, cid, "LossModule", lambda *xs: make()(*xs), ins, ts)


p, t = rn(3, 4), rn(3, 4)
loss_module("MSELoss/sum", lambda: nn.MSELoss(reduction="sum"), {"name": "MSELoss", "opts": {"reduction": "sum"}}, [f(p), c(t)])
loss_module("L1Loss/plain", nn.L1Loss, {"name": "L1Loss"}, [f(p), c(t)])
loss_module("HuberLoss/delta", lambda: nn.HuberLoss(delta=0.3), {"name": "HuberLoss", "opts": {"delta": 0.3}}, [f(p), c(t)])
loss_module("CrossEntropyLoss/smoothing", lambda: nn.CrossEntropyLoss(label_smoothing=0.2), {"name": "CrossEntropyLoss", "opts": {"labelSmoothing": 0.2}}, [f(p), i([0, 3, 1])])
loss_module("NLLLoss/ignore", lambda: nn.NLLLoss(ignore_index=1), {"name": "NLLLoss", "opts": {"ignoreIndex": 1}}, [f(torch.log_softmax(p, 1)), i([0, 1, 2])])
loss_module("BCELoss/plain", nn.BCELoss, {"name": "BCELoss"}, [f(torch.sigmoid(p)), c(torch.rand(3, 4))])
loss_module("BCEWithLogitsLoss/plain", nn.BCEWithLogitsLoss, {"name": "BCEWithLogitsLoss"}, [f(p), c(torch.rand(3, 4))])
loss_module("HingeEmbeddingLoss/plain", nn.HingeEmbeddingLoss, {"name": "HingeEmbeddingLoss"}, [f(p), c(torch.where(t > 0, 1.0, -1.0))])
loss_module("MarginRankingLoss/plain", lambda: nn.MarginRankingLoss(margin=0.1), {"name": "MarginRankingLoss", "opts": {"margin": 0.1}}, [f(rn(5)), f(rn(5)), c([1.0, -1.0, 1.0, 1.0, -1.0])])
loss_module("MultiMarginLoss/plain", nn.MultiMarginLoss, {"name": "MultiMarginLoss"}, [f(p), i([0, 3, 1])])
loss_module("KLDivLoss/batchmean", lambda: nn.KLDivLoss(reduction="batchmean"), {"name": "KLDivLoss", "opts": {"reduction": "batchmean"}}, [f(torch.log_softmax(p, 1)), c(torch.softmax(t, 1))])

# ---- edge values -------------------------------------------------------------------------
add(G, "max/dim-nan", "maxDim", lambda x: torch.max(x, 1), [f([[1.0, NAN, 3.0], [2.0, 5.0, 1.0]])], {"dim": 1})
add(G, "min/dim-nan", "minDim", lambda x: torch.min(x, 1), [f([[1.0, NAN, -3.0], [2.0, 5.0, 1.0]])], {"dim": 1})
add(G, "argmax/nan", "argmax", lambda x: torch.argmax(x, 1), [c([[1.0, NAN, 3.0], [2.0, 5.0, 1.0]])], {"dim": 1})
add(G, "maxAll/nan", "maxAll", lambda x: x.max(), [f([[1.0, NAN], [3.0, 0.0]])])
add(G, "logsumexp/nan", "logsumexp", lambda x: torch.logsumexp(x, 1), [f([[1.0, NAN], [3.0, 0.0]])], {"dims": 1})
add(G, "softmax/pos-inf", "softmax", lambda x: F.softmax(x, 1), [f([[INF, 0.0], [1.0, 2.0]])], {"dim": 1})
add(G, "softmax/nan", "softmax", lambda x: F.softmax(x, 1), [f([[NAN, 0.0], [1.0, 2.0]])], {"dim": 1})
add(G, "logSoftmax/pos-inf", "logSoftmax", lambda x: F.log_softmax(x, 1), [f([[INF, 0.0], [1.0, 2.0]])], {"dim": 1})
add(G, "maxPool2d/nan", "maxPool2d", lambda x: F.max_pool2d(x, 2), [f([[[[1.0, NAN, 0.0, 2.0], [0.0, 5.0, 1.0, 1.0]]]])], {"kernelSize": 2})
add(G, "var/single", "var", lambda x: torch.var(x, 1), [f([[1.0], [2.0]])], {"dims": 1})
add(G, "std/constant", "std", lambda x: torch.std(x, 1), [f([[1.0, 1.0, 1.0], [1.0, 2.0, 4.0]])], {"dims": 1})
add(G, "std/inf", "std", lambda x: torch.std(x, 1), [f([[INF, 1.0], [1.0, 2.0]])], {"dims": 1})
add(G, "remainder/zero", "remainder", torch.remainder, [f([1.0, -1.0, 5.0]), f([0.0, 0.0, INF])])
add(G, "div/neg-zero", "div", torch.div, [f([1.0, -1.0]), f([-0.0, -0.0])])
add(G, "crossEntropy/neg-inf-logit", "crossEntropy", F.cross_entropy, [f([[-INF, 0.0, 1.0], [0.0, -INF, 2.0]]), i([1, 2])])
add(G, "crossEntropy/neg-inf-target-logit", "crossEntropy", lambda x, t: F.cross_entropy(x, t, reduction="none"), [f([[-INF, 0.0, 1.0], [0.0, 1.0, 2.0]]), i([0, 2])], {"reduction": "none"})
add(G, "crossEntropy/all-ignored", "crossEntropy", lambda x, t: F.cross_entropy(x, t, ignore_index=1), [f(rn(2, 3)), i([1, 1])], {"ignoreIndex": 1})
add(G, "crossEntropy/smoothing-weight-ignore", "crossEntropyW", lambda x, t, w: F.cross_entropy(x, t, weight=w, label_smoothing=0.3, ignore_index=2),
    [f(rn(4, 3)), i([0, 2, 1, 1]), c([0.5, 2.0, 1.0])], {"labelSmoothing": 0.3, "ignoreIndex": 2})
add(G, "nllLoss/weight-ignore-sum", "nllLossW", lambda x, t, w: F.nll_loss(x, t, weight=w, ignore_index=0, reduction="sum"),
    [f(torch.log_softmax(rn(4, 3), 1)), i([0, 2, 1, 1]), c([0.5, 2.0, 1.0])], {"ignoreIndex": 0, "reduction": "sum"})
add(G, "normalize/p1-zero-row", "normalize", lambda x: F.normalize(x, p=1.0), [f([[0.0, 0.0], [1.0, -3.0]])], {"p": 1})
add(G, "silu/inf", "silu", F.silu, [f([-INF, INF, NAN])])
add(G, "elu/inf", "elu", F.elu, [f([-INF, INF, NAN])])
add(G, "softplus/inf", "softplus", F.softplus, [f([-INF, INF, NAN])])
add(G, "logSigmoid/inf", "logSigmoid", F.logsigmoid, [f([-INF, INF, NAN])])
add(G, "gelu/inf", "gelu", F.gelu, [f([-INF, INF])])
add(G, "bceWithLogits/inf", "bceWithLogits", lambda x, t: F.binary_cross_entropy_with_logits(x, t, reduction="none"), [f([INF, -INF, INF]), c([1.0, 0.0, 0.5])], {"reduction": "none"})


def bn_running(x, rm, rv):
    y = F.batch_norm(x, rm, rv, training=True, momentum=0.3)
    return y, rm.clone(), rv.clone()


add(G, "batchNorm/running-update", "batchNormUpdate", bn_running, [f(rn(4, 3)), c([0.1, -0.2, 0.3]), c([1.0, 0.5, 2.0])], {"momentum": 0.3})
add(G, "layerNorm/inf", "layerNorm", lambda x: F.layer_norm(x, [3]), [f([[INF, 1.0, 2.0], [0.0, 1.0, 2.0]])], {"shape": [3]})

optim_case("Adam/maximize", "Adam", lr=0.05, maximize=True, group=G)
optim_case("AdamW/betas-eps", "AdamW", lr=0.05, betas=(0.5, 0.6), eps=1e-3, weight_decay=0.2, group=G)
optim_case("RMSprop/centered-only", "RMSprop", lr=0.02, centered=True, group=G)
optim_case("Adagrad/eps-maximize", "Adagrad", lr=0.2, eps=1e-2, maximize=True, group=G)
optim_case("Adadelta/maximize", "Adadelta", lr=0.5, maximize=True, group=G)
optim_case("SGD/nesterov-dampening0", "SGD", lr=0.02, momentum=0.5, nesterov=True, group=G)
add(G, "huberLoss/inf", "huberLoss", lambda x, t: F.huber_loss(x, t, reduction="none"), [f([INF, -INF, 2.0]), c([0.0, 0.0, INF])], {"reduction": "none"})
add(G, "smoothL1Loss/inf", "smoothL1Loss", lambda x, t: F.smooth_l1_loss(x, t, reduction="none"), [f([INF, -INF, 2.0]), c([0.0, 0.0, INF])], {"reduction": "none"})
add(G, "l1Loss/inf", "l1Loss", lambda x, t: F.l1_loss(x, t, reduction="none"), [f([INF, -INF, 2.0]), c([0.0, 0.0, INF])], {"reduction": "none"})
add(G, "mseLoss/huge", "mseLoss", lambda x, t: F.mse_loss(x, t, reduction="none"), [f([1e200, -1e200, 2.0]), c([0.0, 0.0, 1e-300])], {"reduction": "none"})
add(G, "leakyRelu/inf", "leakyRelu", F.leaky_relu, [f([-INF, INF, NAN, -0.0])])
add(G, "hardtanh/inf-nan", "hardtanh", F.hardtanh, [f([-INF, INF, NAN])])
add(G, "minimum/nan", "minimum", torch.minimum, [f([NAN, 1.0, NAN]), f([1.0, NAN, NAN])])
add(G, "clamp/inf", "clamp", lambda x: torch.clamp(x, -1.0, 1.0), [f([-INF, INF])], {"min": -1, "max": 1})
add(G, "hingeEmbeddingLoss/other-target", "hingeEmbeddingLoss", lambda x, t: F.hinge_embedding_loss(x, t, reduction="none"),
    [f([0.5, 0.5, 2.0]), c([0.0, 2.0, -1.0])], {"reduction": "none"})
add(G, "sigmoid/huge-grad", "sigmoid", torch.sigmoid, [f([-745.0, -710.0, 36.0, 710.0])])
add(G, "tanh/huge-grad", "tanh", torch.tanh, [f([-20.0, 19.0, 400.0])])

# ---- large enough for the pool's float32 WASM kernels (≥ 256 elements, rows ≥ 16) ---------
EDGE_MIX = [0.0, -0.0, 1e-30, -1e-30, 100.0, -100.0, 90.0, -90.0, 1e4, -1e4, INF, -INF, NAN]


def big(seed_scale=3.0):
    x = rn(4, 80, scale=seed_scale)
    flat = x.reshape(-1)
    for k, v in enumerate(EDGE_MIX):
        flat[7 * k + 3] = v
    return x


for name, fn in [("relu", torch.relu), ("exp", torch.exp), ("sigmoid", torch.sigmoid), ("tanh", torch.tanh), ("neg", torch.neg), ("square", torch.square)]:
    add(G, f"{name}/wasm-sized", name, fn, [f(big())])
bx, by = big(), big()
by.reshape(-1)[:40] = bx.reshape(-1)[:40]  # ties
for name, fn in [("maximum", torch.maximum), ("minimum", torch.minimum), ("mul", torch.mul), ("div", torch.div), ("add", torch.add)]:
    add(G, f"{name}/wasm-sized", name, fn, [f(bx), f(by)])
for name, fn in [("gt", torch.gt), ("le", torch.le), ("eq", torch.eq), ("ne", torch.ne)]:
    add(G, f"{name}/wasm-sized", name, fn, [c(bx), c(by)])
add(G, "softmax/wasm-sized", "softmax", lambda x: F.softmax(x, 1), [f(rn(4, 80, scale=5))], {"dim": 1})
add(G, "crossEntropy/wasm-sized", "crossEntropy", F.cross_entropy, [f(rn(64, 10, scale=4)), i([k % 10 for k in range(64)])])
BP = rn(300)


def adam_big(p, w, v):
    opt = torch.optim.Adam([p], lr=0.05)
    outs = []
    for _ in range(3):
        opt.zero_grad()
        ((w * p * p).sum() * 0.5 + (v * p).sum()).backward()
        opt.step()
        outs.append(p.detach().clone())
    return tuple(outs)


add(G, "Adam/wasm-sized", "optimBig", adam_big, [f(BP), c(torch.rand(300) + 0.5), c(rn(300))], {"name": "Adam", "steps": 3, "opts": {"lr": 0.05}})

# ---- more options and edges ---------------------------------------------------------------
from gen_nn import module_case  # noqa: E402
from gen import fill  # noqa: E402

add(G, "crossEntropy/probs-neg-inf-zero-target", "crossEntropy", F.cross_entropy, [f([[-INF, 0.0, 1.0], [0.0, 2.0, -1.0]]), c([[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]])])
add(G, "klDiv/neg-inf-input-zero-target", "klDiv", lambda x, t: F.kl_div(x, t, reduction="sum"), [f([[-INF, -0.5, -1.0]]), c([[0.0, 0.4, 0.6]])], {"reduction": "sum"})
add(G, "softmax/3d-neg-dim", "softmax", lambda x: F.softmax(x, -2), [f(rn(2, 3, 4))], {"dim": -2})
add(G, "logSoftmax/3d-dim0", "logSoftmax", lambda x: F.log_softmax(x, 0), [f(rn(2, 3, 4))], {"dim": 0})
add(G, "maxPool1d/stride-pad-ceil", "maxPool1d", lambda x: F.max_pool1d(x, 3, stride=2, padding=1, ceil_mode=True), [f(rn(1, 2, 8))], {"kernelSize": 3, "stride": 2, "padding": 1, "ceilMode": True})
add(G, "avgPool1d/ceil-no-count-pad", "avgPool1d", lambda x: F.avg_pool1d(x, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False), [f(rn(1, 2, 8))],
    {"kernelSize": 3, "stride": 2, "padding": 1, "ceilMode": True, "countIncludePad": False})
add(G, "conv2d/same-dilation", "conv2d", lambda x, w, b: F.conv2d(x, w, b, padding="same", dilation=2), [f(rn(1, 2, 5, 6)), f(rn(3, 2, 3, 2)), f(rn(3))], {"padding": "same", "dilation": 2})
add(G, "conv1d/valid", "conv1d", lambda x, w: F.conv1d(x, w, padding="valid"), [f(rn(1, 2, 6)), f(rn(2, 2, 3))], {"padding": "valid"})
add(G, "pad/negative-crop", "pad", lambda x: F.pad(x, (-1, 2, 1, -1), value=0.0), [f(rn(1, 3, 4))], {"padding": [-1, 2, 1, -1]})
module_case("LayerNorm/no-affine", "LayerNorm", lambda: nn.LayerNorm(4, elementwise_affine=False), rn(3, 4), {"args": [4], "elementwiseAffine": False}, group=G)
module_case("LayerNorm/no-bias", "LayerNorm", lambda: nn.LayerNorm(4, bias=False), rn(3, 4), {"args": [4], "bias": False}, group=G)
module_case("LSTM/2-layer", "LSTM", lambda: nn.LSTM(3, 2, num_layers=2), rn(3, 2, 3), {"args": [3, 2], "numLayers": 2}, group=G)
module_case("GRU/bidir-batch-first", "GRU", lambda: nn.GRU(2, 3, batch_first=True, bidirectional=True), rn(2, 3, 2), {"args": [2, 3], "batchFirst": True, "bidirectional": True}, group=G)
module_case("RNN/no-bias", "RNN", lambda: nn.RNN(3, 2, bias=False), rn(3, 2, 3), {"args": [3, 2], "bias": False}, group=G)
module_case("BatchNorm1d/3d-input", "BatchNorm1d", lambda: nn.BatchNorm1d(2), rn(3, 2, 4), {"args": [2]}, group=G)


def embedding_padding(idx):
    m = nn.Embedding(4, 3, padding_idx=1)
    with torch.no_grad():
        m.weight.copy_(fill(m.weight.shape, 1))
    return {"out": m(idx), "leaves": [m.weight]}


add(G, "Embedding/padding-idx", "EmbeddingMod", embedding_padding, [i([[0, 1], [1, 3]])], {"args": [4, 3], "paddingIdx": 1}, f32=False)
add(G, "crossEntropy/all-neg-inf-row", "crossEntropy", F.cross_entropy, [f([[-INF, -INF, -INF], [0.0, 1.0, 2.0]]), i([1, 2])])
add(G, "crossEntropy/all-neg-inf-row-none", "crossEntropy", lambda x, t: F.cross_entropy(x, t, reduction="none"), [f([[-INF, -INF, -INF], [0.0, 1.0, 2.0]]), i([1, 2])], {"reduction": "none"})
add(G, "softmin/pos-inf-row", "softmin", lambda x: F.softmin(x, 1), [f([[INF, INF], [1.0, INF]])], {"dim": 1})
add(G, "normalize/inf", "normalize", F.normalize, [f([[INF, 1.0], [1.0, 2.0]])])
add(G, "layerNorm/huge", "layerNorm", lambda x: F.layer_norm(x, [3]), [f([[1e200, 0.0, -1e200], [1e-200, 0.0, -1e-200]])], {"shape": [3]})
add(G, "var/huge", "var", lambda x: torch.var(x, 1), [f([[1e200, -1e200], [1e-200, 3e-200]])], {"dims": 1})
# ---- integer tensors (int64 as PyTorch; outputs compared exactly) --------------------------
ia, ib = [-7, -3, 0, 3, 7, 100], [2, -2, 5, 2, -3, 7]
for name, fn in [("add", torch.add), ("sub", torch.sub), ("mul", torch.mul), ("remainder", torch.remainder), ("maximum", torch.maximum),
                 ("minimum", torch.minimum), ("eq", torch.eq), ("lt", torch.lt)]:
    add(G, f"{name}/int64", name, fn, [i(ia), i(ib)])
# int / int is true division in PyTorch's default dtype, float32 (this generator's default is float64).
add(G, "div/int64", "div", lambda a, b_: torch.div(a, b_).float(), [i(ia), i(ib)])
for name, fn in [("neg", torch.neg), ("abs", torch.abs), ("square", torch.square), ("sign", torch.sign), ("relu", torch.relu)]:
    add(G, f"{name}/int64", name, fn, [i(ia)])
add(G, "sum/int64", "sum", lambda x: x.sum(), [i([[1, -2, 3], [4, 5, -6]])])
add(G, "sum/bool", "sum", lambda x: x.sum(1), [b([[True, False, True], [True, True, True]])], {"dims": 1})
add(G, "cumsum/int64", "cumsum", lambda x: torch.cumsum(x, 0), [i([3, -1, 4, 1])], {"dim": 0})
add(G, "maxDim/int64", "maxDim", lambda x: torch.max(x, 1), [i([[3, 9, 9], [-1, -5, -1]])], {"dim": 1})
add(G, "clamp/int64", "clamp", lambda x: torch.clamp(x, -2, 3), [i(ia)], {"min": -2, "max": 3})
add(G, "where/int64", "where", torch.where, [b([True, False, True]), i([1, 2, 3]), i([-1, -2, -3])])
add(G, "argmax/int64-ties", "argmax", lambda x: torch.argmax(x, 1), [i([[3, 9, 9], [-1, -5, -1]])], {"dim": 1})



def seq_linear_relu(x, w, bias):
    m = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    m = m.to(x.dtype)
    with torch.no_grad():
        m[0].weight.copy_(w)
        m[0].bias.copy_(bias)
    return {"out": m(x), "leaves": [m[0].weight, m[0].bias]}


# Pre-activations exactly 0: the fused Linear + ReLU must give relu'(0) = 0 as PyTorch.
add(G, "Sequential/linear-relu-kink", "SequentialLinearReLU", seq_linear_relu,
    [f([[1.0, -1.0], [2.0, 0.5]]), c([[1.0, 1.0], [2.0, 1.0], [0.0, 0.0]]), c([0.0, -1.0, 0.0])])
# Saturated gates (|pre-activation| ≈ 100) through the fused recurrent cells.
module_case("LSTMCell/saturated", "LSTMCell", lambda: nn.LSTMCell(3, 2), rn(2, 3, scale=200), {"args": [3, 2]}, group=G)
module_case("GRUCell/saturated", "GRUCell", lambda: nn.GRUCell(3, 2), rn(2, 3, scale=200), {"args": [3, 2]}, group=G)
module_case("LSTM/saturated", "LSTM", lambda: nn.LSTM(3, 2, batch_first=True), rn(2, 3, 3, scale=200), {"args": [3, 2], "batchFirst": True}, group=G)
module_case("GRU/saturated", "GRU", lambda: nn.GRU(3, 2), rn(3, 2, 3, scale=200), {"args": [3, 2]}, group=G)
module_case("RNN/saturated", "RNN", lambda: nn.RNN(3, 2), rn(3, 2, 3, scale=200), {"args": [3, 2]}, group=G)
add(G, "normalize/p-inf", "normalize", lambda x: F.normalize(x, p=INF), [f([[0.5, -3.0, 2.0], [0.1, 0.2, -0.05]])], {"p": "inf"})
add(G, "pairwiseDistance/p-inf", "pairwiseDistance", lambda a, b_: F.pairwise_distance(a, b_, p=INF), [f([[0.5, -3.0, 2.0], [0.1, 0.2, -0.05]]), f([[0.0, 1.0, 2.0], [0.3, 0.2, 0.0]])], {"p": "inf"})
add(G, "pairwiseDistance/p3", "pairwiseDistance", lambda a, b_: F.pairwise_distance(a, b_, p=3.0), [f(rn(2, 3)), f(rn(2, 3))], {"p": 3})
add(G, "normalize/p3-dim0", "normalize", lambda x: F.normalize(x, p=3.0, dim=0), [f(rn(3, 2))], {"p": 3, "dim": 0})
simple_module("SiLU/kinks", nn.SiLU, {"name": "SiLU"}, [-2.0, 0.0, 3.0])
simple_module("Hardtanh/bounds", lambda: nn.Hardtanh(-0.5, 2.0), {"name": "Hardtanh", "args": [-0.5, 2.0]}, [-1.0, -0.5, 0.0, 2.0, 3.0])
simple_module("ReLU6/bounds", nn.ReLU6, {"name": "ReLU6"}, [-1.0, 0.0, 3.0, 6.0, 7.0])
simple_module("SELU/plain", nn.SELU, {"name": "SELU"}, [-2.0, 0.0, 1.5])
simple_module("Softsign/plain", nn.Softsign, {"name": "Softsign"}, [-2.0, 0.0, 1.5])
simple_module("LogSigmoid/huge", nn.LogSigmoid, {"name": "LogSigmoid"}, [-1000.0, 0.0, 1000.0])
simple_module("Softmin/1", lambda: nn.Softmin(1), {"name": "Softmin", "args": [1]}, rn(2, 3))
loss_module("SmoothL1Loss/beta", lambda: nn.SmoothL1Loss(beta=0.5, reduction="sum"), {"name": "SmoothL1Loss", "opts": {"beta": 0.5, "reduction": "sum"}}, [f(p), c(t)])
simple_module("MaxPool1d/stride-pad", lambda: nn.MaxPool1d(3, 2, 1), {"name": "MaxPool1d", "args": [3, 2, 1]}, rn(2, 2, 7))
simple_module("AvgPool1d/ceil-no-count", lambda: nn.AvgPool1d(3, 2, 1, True, False), {"name": "AvgPool1d", "args": [3, 2, 1, True, False]}, rn(2, 2, 8))
simple_module("AdaptiveAvgPool1d/3", lambda: nn.AdaptiveAvgPool1d(3), {"name": "AdaptiveAvgPool1d", "args": [3]}, rn(2, 2, 7))
add(G, "sum/int64-beyond-int32", "sum", lambda x: x.sum(), [i([2 ** 40, 1, -(2 ** 35), 3])])
add(G, "cumsum/int64-beyond-int32", "cumsum", lambda x: torch.cumsum(x, 0), [i([2 ** 33, 2 ** 33, 7])], {"dim": 0})
add(G, "mul/int64-beyond-int32", "mul", torch.mul, [i([2 ** 20, -(2 ** 25), 3]), i([2 ** 20, 2 ** 20, 5])])
add(G, "argmax/large-index", "argmax", lambda x: torch.argmax(x), [c(torch.arange(300, dtype=torch.float64).reshape(3, 100))])
