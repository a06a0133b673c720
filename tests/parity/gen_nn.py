# Parity cases for nn.functional (activations, softmax family, losses, conv, pooling, pad,
# normalisation, distances) and the nn modules with their parameters. Imported by gen.py;
# each `op` names a runner in parity-runners.ts. Module cases fill their parameters with
# gen.fill(shape, k + 1) in named_parameters() order; the gradients of those follow the input's.
import torch
import torch.nn as nn
import torch.nn.functional as F
from gen import INF, NAN, add, b, c, f, fill, i, pos, rn

G = "nn"
A = "functional"

# ---- activations -------------------------------------------------------------------------
KINK = [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 6.0, 7.0]
ACT = {
    "relu": F.relu, "relu6": F.relu6, "leakyRelu": F.leaky_relu, "elu": F.elu, "selu": F.selu,
    "hardtanh": F.hardtanh, "silu": F.silu, "softsign": F.softsign, "gelu": F.gelu,
    "softplus": F.softplus, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
}
for name, fn in ACT.items():
    add(A, f"{name}/random", name, fn, [f(rn(2, 4, scale=2))])
    add(A, f"{name}/kinks", name, fn, [f(KINK)])
BIG = [-1000.0, -100.0, -30.0, -1e-30, 30.0, 100.0, 1000.0]
for name in ["elu", "selu", "silu", "gelu", "softplus", "softsign", "leakyRelu"]:
    add(A, f"{name}/huge", name, ACT[name], [f(BIG)])
add(A, "leakyRelu/slope", "leakyRelu", lambda x: F.leaky_relu(x, 0.2), [f(KINK)], {"negativeSlope": 0.2})
add(A, "elu/alpha", "elu", lambda x: F.elu(x, 0.5), [f(KINK)], {"alpha": 0.5})
add(A, "hardtanh/range", "hardtanh", lambda x: F.hardtanh(x, -0.5, 2.0), [f(KINK)], {"minVal": -0.5, "maxVal": 2.0})
add(A, "gelu/tanh", "gelu", lambda x: F.gelu(x, approximate="tanh"), [f(KINK)], {"approximate": "tanh"})
add(A, "gelu/tanh-huge", "gelu", lambda x: F.gelu(x, approximate="tanh"), [f(BIG)], {"approximate": "tanh"})
add(A, "softplus/beta", "softplus", lambda x: F.softplus(x, beta=2.0, threshold=10.0), [f(KINK + [4.0, 5.0, 5.5, 1000.0, -1000.0])], {"beta": 2, "threshold": 10})
add(A, "softplus/beta-huge", "softplus", lambda x: F.softplus(x, beta=0.5), [f(BIG)], {"beta": 0.5})
add(A, "softplus/threshold-edge", "softplus", lambda x: F.softplus(x), [f([19.0, 20.0, 20.5, -20.0])])
add(A, "logSigmoid/values", "logSigmoid", F.logsigmoid, [f(BIG + [0.0])])
for name, fn in [("softmax", F.softmax), ("logSoftmax", F.log_softmax), ("softmin", F.softmin)]:
    add(A, f"{name}/dim1", name, lambda x, fn=fn: fn(x, 1), [f(rn(3, 4))], {"dim": 1})
    add(A, f"{name}/dim0", name, lambda x, fn=fn: fn(x, 0), [f(rn(3, 4))], {"dim": 0})
    add(A, f"{name}/huge", name, lambda x, fn=fn: fn(x, 1), [f([[1e4, 0.0, -1e4], [1000.0, 1000.0, 999.0]])], {"dim": 1})
    add(A, f"{name}/neg-inf", name, lambda x, fn=fn: fn(x, 1), [f([[-INF, 0.0, 1.0], [-INF, -INF, -INF]])], {"dim": 1})

# ---- losses ------------------------------------------------------------------------------
L = "loss"
p23, t23 = rn(2, 3), rn(2, 3)
for red in ["mean", "sum", "none"]:
    add(L, f"mseLoss/{red}", "mseLoss", lambda x, t, red=red: F.mse_loss(x, t, reduction=red), [f(p23), c(t23)], {"reduction": red})
    add(L, f"l1Loss/{red}", "l1Loss", lambda x, t, red=red: F.l1_loss(x, t, reduction=red), [f(p23), c(t23)], {"reduction": red})
add(L, "mseLoss/target-grad", "mseLoss", F.mse_loss, [f(p23), f(t23)])
add(L, "l1Loss/zero-diff", "l1Loss", F.l1_loss, [f([1.0, 2.0, 3.0]), c([1.0, 0.0, 3.0])])
hub_x = [0.0, 0.5, 1.0, 1.5, -1.0, -3.0]
add(L, "huberLoss/kinks", "huberLoss", lambda x, t: F.huber_loss(x, t, reduction="none"), [f(hub_x), c([0.0] * 6)], {"reduction": "none"})
add(L, "huberLoss/delta", "huberLoss", lambda x, t: F.huber_loss(x, t, delta=0.5), [f(hub_x), c([0.0] * 6)], {"delta": 0.5})
add(L, "smoothL1Loss/kinks", "smoothL1Loss", lambda x, t: F.smooth_l1_loss(x, t, reduction="sum"), [f(hub_x), c([0.0] * 6)], {"reduction": "sum"})
add(L, "smoothL1Loss/beta", "smoothL1Loss", lambda x, t: F.smooth_l1_loss(x, t, beta=0.5), [f(hub_x), c([0.0] * 6)], {"beta": 0.5})
add(L, "smoothL1Loss/beta0", "smoothL1Loss", lambda x, t: F.smooth_l1_loss(x, t, beta=0.0), [f(hub_x), c([0.0] * 6)], {"beta": 0})
logits, tgt = rn(4, 5), [1, 0, 4, 2]
add(L, "crossEntropy/mean", "crossEntropy", F.cross_entropy, [f(logits), i(tgt)])
add(L, "crossEntropy/sum", "crossEntropy", lambda x, t: F.cross_entropy(x, t, reduction="sum"), [f(logits), i(tgt)], {"reduction": "sum"})
add(L, "crossEntropy/none", "crossEntropy", lambda x, t: F.cross_entropy(x, t, reduction="none"), [f(logits), i(tgt)], {"reduction": "none"})
add(L, "crossEntropy/ignore-index", "crossEntropy", lambda x, t: F.cross_entropy(x, t, ignore_index=0), [f(logits), i(tgt)], {"ignoreIndex": 0})
add(L, "crossEntropy/weight", "crossEntropyW", lambda x, t, w: F.cross_entropy(x, t, weight=w), [f(logits), i(tgt), c([1.0, 2.0, 0.5, 1.0, 3.0])])
add(L, "crossEntropy/label-smoothing", "crossEntropy", lambda x, t: F.cross_entropy(x, t, label_smoothing=0.1), [f(logits), i(tgt)], {"labelSmoothing": 0.1})
add(L, "crossEntropy/probs", "crossEntropy", F.cross_entropy, [f(logits), c(torch.softmax(rn(4, 5), 1))])
add(L, "crossEntropy/logits-1e4", "crossEntropy", F.cross_entropy, [f([[1e4, 0.0, -1e4], [-1e4, 1e4, 0.0]]), i([2, 1])])
add(L, "crossEntropy/logits-1e4-sum", "crossEntropy", lambda x, t: F.cross_entropy(x, t, reduction="sum"), [f([[1e4, 0.0, -1e4], [0.0, 0.0, 0.0]]), i([2, 1])], {"reduction": "sum"})
add(L, "crossEntropy/spatial", "crossEntropy", F.cross_entropy, [f(rn(2, 3, 2, 2)), i([[[0, 1], [2, 0]], [[1, 1], [0, 2]]])])
add(L, "crossEntropy/1d", "crossEntropy", F.cross_entropy, [f(rn(4)), i(2)])
logp = torch.log_softmax(rn(4, 5), 1)
add(L, "nllLoss/mean", "nllLoss", F.nll_loss, [f(logp), i(tgt)])
add(L, "nllLoss/none", "nllLoss", lambda x, t: F.nll_loss(x, t, reduction="none"), [f(logp), i(tgt)], {"reduction": "none"})
add(L, "nllLoss/weight", "nllLossW", lambda x, t, w: F.nll_loss(x, t, weight=w), [f(logp), i(tgt), c([1.0, 2.0, 0.5, 1.0, 3.0])])
prob = torch.sigmoid(rn(2, 3))
add(L, "bce/mean", "bce", F.binary_cross_entropy, [f(prob), c(torch.rand(2, 3))])
add(L, "bce/sum", "bce", lambda x, t: F.binary_cross_entropy(x, t, reduction="sum"), [f(prob), c(torch.rand(2, 3))], {"reduction": "sum"})
add(L, "bce/extremes", "bce", lambda x, t: F.binary_cross_entropy(x, t, reduction="none"), [f([0.0, 1.0, 0.0, 1.0, 1e-30, 0.5]), c([0.0, 1.0, 1.0, 0.0, 1.0, 0.5])], {"reduction": "none"})
add(L, "bce/weight", "bceW", lambda x, t, w: F.binary_cross_entropy(x, t, weight=w), [f(prob), c(torch.rand(2, 3)), c([1.0, 2.0, 0.5])])
add(L, "bceWithLogits/mean", "bceWithLogits", F.binary_cross_entropy_with_logits, [f(rn(2, 3)), c(torch.rand(2, 3))])
add(L, "bceWithLogits/kink-and-huge", "bceWithLogits", lambda x, t: F.binary_cross_entropy_with_logits(x, t, reduction="none"),
    [f([0.0, 0.0, 100.0, -100.0, 1e4, -1e4, 30.0]), c([0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.3])], {"reduction": "none"})
add(L, "bceWithLogits/pos-weight", "bceWithLogitsPW", lambda x, t, pw: F.binary_cross_entropy_with_logits(x, t, pos_weight=pw, reduction="sum"),
    [f([0.0, -2.0, 3.0, 1e4]), c([1.0, 0.0, 0.5, 0.0]), c([2.0, 2.0, 0.5, 3.0])], {"reduction": "sum"})
add(L, "hingeEmbeddingLoss/kink", "hingeEmbeddingLoss", lambda x, t: F.hinge_embedding_loss(x, t, reduction="none"),
    [f([1.0, 0.5, 2.0, -1.0, 0.3]), c([-1.0, -1.0, -1.0, 1.0, 1.0])], {"reduction": "none"})
add(L, "hingeEmbeddingLoss/margin", "hingeEmbeddingLoss", lambda x, t: F.hinge_embedding_loss(x, t, margin=2.0),
    [f([1.0, 0.5, 2.0, -1.0]), c([-1.0, -1.0, -1.0, 1.0])], {"margin": 2})
add(L, "marginRankingLoss/kink", "marginRankingLoss", lambda a, bb, t: F.margin_ranking_loss(a, bb, t, reduction="none"),
    [f([1.0, 2.0, 0.0, 3.0]), f([1.0, 1.0, 0.5, 3.5]), c([1.0, -1.0, 1.0, 1.0])], {"reduction": "none"})
add(L, "marginRankingLoss/margin", "marginRankingLoss", lambda a, bb, t: F.margin_ranking_loss(a, bb, t, margin=0.5),
    [f([1.0, 2.0, 0.0, 3.0]), f([1.5, 1.0, 0.5, 3.5]), c([1.0, -1.0, 1.0, 1.0])], {"margin": 0.5})
add(L, "multiMarginLoss/p1", "multiMarginLoss", F.multi_margin_loss, [f([[0.1, 0.2, 0.4], [1.0, 0.0, 1.0]]), i([2, 0])])
add(L, "multiMarginLoss/p2-margin", "multiMarginLoss", lambda x, t: F.multi_margin_loss(x, t, p=2, margin=0.5, reduction="sum"),
    [f(rn(3, 4)), i([0, 3, 1])], {"p": 2, "margin": 0.5, "reduction": "sum"})

# ---- conv, pooling, pad ------------------------------------------------------------------
C = "conv"
add(C, "conv2d/plain", "conv2d", F.conv2d, [f(rn(1, 2, 5, 5)), f(rn(3, 2, 3, 3)), f(rn(3))])
add(C, "conv2d/stride-pad-dil", "conv2d", lambda x, w, bb: F.conv2d(x, w, bb, stride=2, padding=1, dilation=2),
    [f(rn(2, 2, 6, 5)), f(rn(2, 2, 2, 3)), f(rn(2))], {"stride": 2, "padding": 1, "dilation": 2})
add(C, "conv2d/groups", "conv2d", lambda x, w: F.conv2d(x, w, None, padding=(1, 0), groups=2), [f(rn(1, 4, 4, 4)), f(rn(4, 2, 3, 3))], {"padding": [1, 0], "groups": 2})
add(C, "conv2d/stride-tuple", "conv2d", lambda x, w: F.conv2d(x, w, stride=(2, 1)), [f(rn(1, 1, 5, 4)), f(rn(2, 1, 2, 2))], {"stride": [2, 1]})
add(C, "conv1d/plain", "conv1d", F.conv1d, [f(rn(2, 3, 7)), f(rn(4, 3, 3)), f(rn(4))])
add(C, "conv1d/stride-pad-dil-groups", "conv1d", lambda x, w: F.conv1d(x, w, stride=2, padding=2, dilation=2, groups=3),
    [f(rn(1, 3, 8)), f(rn(3, 1, 3))], {"stride": 2, "padding": 2, "dilation": 2, "groups": 3})
add(C, "unfold/plain", "unfold", lambda x: F.unfold(x, 2, stride=1, padding=1), [f(rn(1, 2, 3, 3))], {"kernelSize": 2, "stride": 1, "padding": 1})
add(C, "maxPool2d/plain", "maxPool2d", lambda x: F.max_pool2d(x, 2), [f(rn(1, 2, 4, 4))], {"kernelSize": 2})
add(C, "maxPool2d/stride-pad", "maxPool2d", lambda x: F.max_pool2d(x, 3, stride=2, padding=1), [f(rn(2, 1, 5, 5))], {"kernelSize": 3, "stride": 2, "padding": 1})
add(C, "maxPool2d/ties", "maxPool2d", lambda x: F.max_pool2d(x, 2), [f([[[[1.0, 1.0], [1.0, 1.0]]]])], {"kernelSize": 2})
add(C, "maxPool2d/overlap-ties", "maxPool2d", lambda x: F.max_pool2d(x, 2, stride=1), [f([[[[0.0, 1.0, 0.0], [1.0, 1.0, 1.0], [0.0, 1.0, 0.0]]]])], {"kernelSize": 2, "stride": 1})
add(C, "maxPool2d/neg-inf", "maxPool2d", lambda x: F.max_pool2d(x, 2), [f([[[[-INF, -INF], [-INF, -INF]]]])], {"kernelSize": 2})
add(C, "maxPool2d/ceil-mode", "maxPool2d", lambda x: F.max_pool2d(x, 2, ceil_mode=True), [f(rn(1, 1, 5, 5))], {"kernelSize": 2, "ceilMode": True})
add(C, "maxPool2d/dilation", "maxPool2d", lambda x: F.max_pool2d(x, 2, dilation=2), [f(rn(1, 1, 5, 5))], {"kernelSize": 2, "dilation": 2})
add(C, "avgPool2d/plain", "avgPool2d", lambda x: F.avg_pool2d(x, 2), [f(rn(1, 2, 4, 4))], {"kernelSize": 2})
add(C, "avgPool2d/pad-count", "avgPool2d", lambda x: F.avg_pool2d(x, 3, stride=2, padding=1), [f(rn(1, 1, 5, 5))], {"kernelSize": 3, "stride": 2, "padding": 1})
add(C, "avgPool2d/no-count-pad", "avgPool2d", lambda x: F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False), [f(rn(1, 1, 5, 5))],
    {"kernelSize": 3, "stride": 2, "padding": 1, "countIncludePad": False})
add(C, "avgPool2d/ceil-mode", "avgPool2d", lambda x: F.avg_pool2d(x, 2, ceil_mode=True), [f(rn(1, 1, 5, 5))], {"kernelSize": 2, "ceilMode": True})
add(C, "maxPool1d/plain", "maxPool1d", lambda x: F.max_pool1d(x, 2), [f(rn(2, 2, 6))], {"kernelSize": 2})
add(C, "avgPool1d/stride", "avgPool1d", lambda x: F.avg_pool1d(x, 3, stride=2), [f(rn(2, 2, 7))], {"kernelSize": 3, "stride": 2})
add(C, "adaptiveAvgPool2d/uneven", "adaptiveAvgPool2d", lambda x: F.adaptive_avg_pool2d(x, (2, 3)), [f(rn(1, 2, 5, 7))], {"outputSize": [2, 3]})
add(C, "adaptiveAvgPool2d/1", "adaptiveAvgPool2d", lambda x: F.adaptive_avg_pool2d(x, 1), [f(rn(2, 2, 3, 3))], {"outputSize": 1})
add(C, "adaptiveAvgPool1d/uneven", "adaptiveAvgPool1d", lambda x: F.adaptive_avg_pool1d(x, 3), [f(rn(1, 2, 7))], {"outputSize": 3})
add(C, "pad/2d-const", "pad", lambda x: F.pad(x, (1, 2, 0, 1), value=0.5), [f(rn(1, 2, 3))], {"padding": [1, 2, 0, 1], "value": 0.5})
add(C, "linear/bias", "linear", F.linear, [f(rn(3, 4)), f(rn(2, 4)), f(rn(2))])
add(C, "linear/no-bias-3d", "linear", F.linear, [f(rn(2, 3, 4)), f(rn(5, 4))])

# ---- normalisation, distances, misc -------------------------------------------------------
M = "misc"
add(M, "layerNorm/affine", "layerNorm", lambda x, w, bb: F.layer_norm(x, [4], w, bb), [f(rn(3, 4)), f(rn(4)), f(rn(4))], {"shape": [4]})
add(M, "layerNorm/2d-eps", "layerNorm", lambda x: F.layer_norm(x, [2, 3], eps=1e-2), [f(rn(2, 2, 3))], {"shape": [2, 3], "eps": 1e-2})
add(M, "layerNorm/constant-row", "layerNorm", lambda x: F.layer_norm(x, [3]), [f([[1.0, 1.0, 1.0], [0.0, 1.0, 2.0]])], {"shape": [3]})
add(M, "batchNorm/train", "batchNorm", lambda x, w, bb: F.batch_norm(x, None, None, w, bb, training=True), [f(rn(4, 3)), f(rn(3)), f(rn(3))], {"training": True})
add(M, "batchNorm/train-4d-eps", "batchNorm", lambda x: F.batch_norm(x, None, None, training=True, eps=0.1), [f(rn(2, 2, 2, 2))], {"training": True, "eps": 0.1})
add(M, "batchNorm/eval-running", "batchNormRunning", lambda x, rm, rv: F.batch_norm(x, rm, rv, training=False),
    [f(rn(4, 3)), c([0.1, -0.2, 0.3]), c([1.0, 0.5, 2.0])], {"training": False})
add(M, "normalize/default", "normalize", F.normalize, [f(rn(3, 4))])
add(M, "normalize/p1-dim0", "normalize", lambda x: F.normalize(x, p=1.0, dim=0), [f(rn(3, 4))], {"p": 1, "dim": 0})
add(M, "normalize/zero-row", "normalize", F.normalize, [f([[0.0, 0.0, 0.0], [3.0, 4.0, 0.0]])])
add(M, "cosineSimilarity/dim1", "cosineSimilarity", F.cosine_similarity, [f(rn(3, 4)), f(rn(3, 4))])
add(M, "cosineSimilarity/zero-vector", "cosineSimilarity", F.cosine_similarity, [f([[0.0, 0.0], [1.0, 2.0]]), f([[1.0, 2.0], [2.0, 1.0]])])
add(M, "pairwiseDistance/p2", "pairwiseDistance", F.pairwise_distance, [f(rn(3, 4)), f(rn(3, 4))])
add(M, "pairwiseDistance/p1-equal", "pairwiseDistance", lambda a, bb: F.pairwise_distance(a, bb, p=1.0), [f([[1.0, 2.0], [0.0, 1.0]]), f([[1.0, 2.0], [1.0, 1.0]])], {"p": 1})
add(M, "embedding/repeat", "embedding", lambda idx, w: F.embedding(idx, w), [i([[0, 2], [2, 1]]), f(rn(3, 4))])
add(M, "oneHot/plain", "oneHot", lambda idx: F.one_hot(idx, 4), [i([0, 3, 1])], {"numClasses": 4})
add(M, "dropout/eval", "dropoutEval", lambda x: F.dropout(x, 0.5, training=False), [f(rn(2, 3))])
add(M, "dropout/p0", "dropoutP0", lambda x: F.dropout(x, 0.0, training=True), [f(rn(2, 3))])


# ---- modules -----------------------------------------------------------------------------
def module_case(cid, op, make, x, opts=None, train=True, extra=None, group="modules"):
    """The module's forward on x; its parameters (filled with fill(k + 1)) become extra leaves."""

    def fn(xt):
        m = make().to(xt.dtype)
        m.train(train)
        ps = []
        with torch.no_grad():
            for k, (_, p) in enumerate(m.named_parameters()):
                p.copy_(fill(p.shape, k + 1))
                ps.append(p)
        out = m(xt) if extra is None else m(xt, extra.to(xt.dtype))
        if isinstance(out, tuple):  # recurrent layers: (output, h) or (output, (h, c))
            y, h = out
            out = (y,) + (h if isinstance(h, tuple) else (h,))
        return {"out": out, "leaves": ps}

    add(group, cid, op, fn, [f(x)], opts)


module_case("Linear/plain", "Linear", lambda: nn.Linear(4, 3), rn(2, 4), {"args": [4, 3]})
module_case("Linear/no-bias", "Linear", lambda: nn.Linear(4, 3, bias=False), rn(2, 4), {"args": [4, 3], "bias": False})
module_case("Conv2d/pad-stride", "Conv2d", lambda: nn.Conv2d(2, 3, 3, stride=2, padding=1), rn(1, 2, 5, 5), {"args": [2, 3, 3], "stride": 2, "padding": 1})
module_case("Conv2d/groups-dil", "Conv2d", lambda: nn.Conv2d(4, 2, 2, dilation=2, groups=2, bias=False), rn(1, 4, 5, 5), {"args": [4, 2, 2], "dilation": 2, "groups": 2, "bias": False})
module_case("Conv1d/plain", "Conv1d", lambda: nn.Conv1d(2, 3, 3, padding=1), rn(2, 2, 5), {"args": [2, 3, 3], "padding": 1})
module_case("BatchNorm1d/train", "BatchNorm1d", lambda: nn.BatchNorm1d(3), rn(4, 3), {"args": [3]})
module_case("BatchNorm1d/momentum-eps", "BatchNorm1d", lambda: nn.BatchNorm1d(3, eps=0.1, momentum=0.5), rn(4, 3), {"args": [3], "eps": 0.1, "momentum": 0.5})
module_case("BatchNorm2d/train", "BatchNorm2d", lambda: nn.BatchNorm2d(2), rn(2, 2, 3, 3), {"args": [2]})
module_case("BatchNorm2d/eval", "BatchNorm2d", lambda: nn.BatchNorm2d(2), rn(2, 2, 3, 3), {"args": [2], "train": False}, train=False)
module_case("LayerNorm/plain", "LayerNorm", lambda: nn.LayerNorm(4), rn(3, 4), {"args": [4]})
module_case("LayerNorm/2d-eps", "LayerNorm", lambda: nn.LayerNorm([2, 3], eps=1e-3), rn(2, 2, 3), {"args": [[2, 3]], "eps": 1e-3})
module_case("RNN/tanh", "RNN", lambda: nn.RNN(3, 4, batch_first=True), rn(2, 3, 3), {"args": [3, 4], "batchFirst": True})
module_case("RNN/relu-2layer", "RNN", lambda: nn.RNN(3, 2, num_layers=2, nonlinearity="relu"), rn(3, 2, 3), {"args": [3, 2], "numLayers": 2, "nonlinearity": "relu"})
module_case("LSTM/plain", "LSTM", lambda: nn.LSTM(3, 2), rn(3, 2, 3), {"args": [3, 2]})
module_case("LSTM/batch-first-bidir", "LSTM", lambda: nn.LSTM(2, 2, batch_first=True, bidirectional=True), rn(2, 3, 2), {"args": [2, 2], "batchFirst": True, "bidirectional": True})
module_case("GRU/plain", "GRU", lambda: nn.GRU(3, 2), rn(3, 2, 3), {"args": [3, 2]})
module_case("RNNCell/plain", "RNNCell", lambda: nn.RNNCell(3, 2), rn(2, 3), {"args": [3, 2]})
module_case("LSTMCell/plain", "LSTMCell", lambda: nn.LSTMCell(3, 2), rn(2, 3), {"args": [3, 2]})
module_case("GRUCell/plain", "GRUCell", lambda: nn.GRUCell(3, 2), rn(2, 3), {"args": [3, 2]})
module_case("Sequential/mlp", "SequentialMlp", lambda: nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 3), nn.Tanh(), nn.Linear(3, 2), nn.Sigmoid()), rn(3, 4))
module_case("Sequential/cnn", "SequentialCnn", lambda: nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8, 3)), rn(2, 1, 6, 6))


def embedding_module(idx):
    m = nn.Embedding(5, 3)
    with torch.no_grad():
        m.weight.copy_(fill(m.weight.shape, 1))
    return {"out": m(idx), "leaves": [m.weight]}


add("modules", "Embedding/plain", "EmbeddingMod", embedding_module, [i([[0, 4], [4, 1]])], {"args": [5, 3]}, f32=False)
