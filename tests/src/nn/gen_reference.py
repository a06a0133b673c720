# Generates tests/src/nn/fixtures/modules.json, the PyTorch reference for layers.test.ts,
# recurrent.test.ts and loss.test.ts. Run once: /usr/bin/python3 tests/src/nn/gen_reference.py
# (Debian python3-torch 1.13, float64). Parameters and inputs are filled with the formula
# fill(n, seed)[i] = 0.5·sin(1.3·i + seed) (scaled per case), which the tests reproduce in JS;
# each case records the output, the input gradient and every parameter gradient of
# L = Σ output·fill(seed 20) (+ Σ h·fill(21) + Σ c·fill(22) for recurrent layers).
import json
import math
import torch
import torch.nn as nn

torch.set_default_dtype(torch.float64)


def fill(shape, seed, scale=1.0):
    n = math.prod(shape)
    return (scale * 0.5 * torch.sin(1.3 * torch.arange(n, dtype=torch.float64) + seed)).reshape(shape)


def flat(t):
    return [round(v, 12) for v in t.detach().reshape(-1).tolist()]


cases = {}


def run(name, module, x_shape, x_scale=1.0, extra=None, train=True, forwards=1):
    torch.manual_seed(0)
    module.train(train)
    names = [k for k, _ in module.named_parameters()]
    with torch.no_grad():
        for i, (_, p) in enumerate(module.named_parameters()):
            p.copy_(fill(p.shape, i + 1))
    for _ in range(forwards - 1):
        module(fill(x_shape, 10, x_scale))
    x = fill(x_shape, 10, x_scale).requires_grad_(True)
    out = module(x) if extra is None else module(x, extra)
    rec = {"names": names, "xShape": list(x_shape), "xScale": x_scale}
    if isinstance(out, tuple):
        y, hx = out
        loss = (y * fill(y.shape, 20)).sum()
        hs = hx if isinstance(hx, tuple) else (hx,)
        for k, h in enumerate(hs):
            loss = loss + (h * fill(h.shape, 21 + k)).sum()
        rec["h"] = [flat(h) for h in hs]
        rec["hShape"] = list(hs[0].shape)
    else:
        y = out
        loss = (y * fill(y.shape, 20)).sum()
    loss.backward()
    rec["y"] = flat(y)
    rec["yShape"] = list(y.shape)
    rec["xGrad"] = flat(x.grad)
    rec["grads"] = {k: flat(p.grad) for k, p in module.named_parameters()}
    rec["buffers"] = {k: flat(b) for k, b in module.named_buffers() if b.dtype == torch.float64}
    cases[name] = rec


run("linear", nn.Linear(3, 4), (2, 3))
run("linear_nobias_3d", nn.Linear(3, 2, bias=False), (2, 2, 3))
run("conv2d_stride_pad", nn.Conv2d(2, 3, 3, padding=1, stride=2), (2, 2, 5, 5))
run("conv2d_dilation_groups", nn.Conv2d(4, 4, 3, dilation=2, groups=2, bias=False), (1, 4, 7, 7))
run("conv2d_same", nn.Conv2d(1, 2, (3, 5), padding="same"), (1, 1, 4, 6))
run("conv1d", nn.Conv1d(2, 3, 3, padding=1), (2, 2, 6))
run("maxpool2d", nn.MaxPool2d(2), (1, 2, 4, 4))
run("maxpool2d_stride_pad", nn.MaxPool2d(3, stride=2, padding=1), (1, 1, 5, 5))
run("avgpool2d", nn.AvgPool2d(2, stride=1), (1, 2, 3, 3))
run("avgpool2d_pad", nn.AvgPool2d(3, stride=2, padding=1), (1, 1, 5, 5))
run("adaptiveavgpool2d", nn.AdaptiveAvgPool2d((2, 3)), (1, 2, 5, 7))
run("globalavgpool", nn.AdaptiveAvgPool2d(1), (2, 3, 4, 4))
run("flatten", nn.Flatten(), (2, 3, 2))
run("relu", nn.ReLU(), (3, 4), 3.0)
run("tanh", nn.Tanh(), (3, 4), 3.0)
run("sigmoid", nn.Sigmoid(), (3, 4), 3.0)
run("leakyrelu", nn.LeakyReLU(0.2), (3, 4), 3.0)
run("elu", nn.ELU(0.5), (3, 4), 3.0)
run("gelu", nn.GELU(), (3, 4), 3.0)
run("gelu_tanh", nn.GELU(approximate="tanh"), (3, 4), 3.0)
run("softplus", nn.Softplus(2, 1), (3, 4), 3.0)
run("softmax", nn.Softmax(1), (3, 4), 3.0)
run("logsoftmax", nn.LogSoftmax(1), (3, 4), 3.0)
run("batchnorm1d_train", nn.BatchNorm1d(3), (4, 3), 2.0)
run("batchnorm1d_3d", nn.BatchNorm1d(2, momentum=0.3), (3, 2, 4), 2.0)
run("batchnorm2d_train", nn.BatchNorm2d(2), (2, 2, 3, 3), 2.0, forwards=2)
bn = nn.BatchNorm2d(2)
with torch.no_grad():
    bn.running_mean.copy_(torch.tensor([0.1, -0.2]))
    bn.running_var.copy_(torch.tensor([1.5, 0.5]))
run("batchnorm2d_eval", bn, (2, 2, 3, 3), 2.0, train=False)
run("layernorm", nn.LayerNorm([3, 4]), (2, 3, 4), 2.0)
run("layernorm_last", nn.LayerNorm(4), (3, 4), 2.0)
run("rnn_2layer", nn.RNN(3, 4, num_layers=2), (5, 2, 3))
run("rnn_relu_bidir_bf", nn.RNN(3, 4, nonlinearity="relu", bidirectional=True, batch_first=True), (2, 4, 3))
run("lstm", nn.LSTM(3, 4), (5, 2, 3))
run("lstm_2layer_bidir_bf", nn.LSTM(3, 4, num_layers=2, bidirectional=True, batch_first=True), (2, 5, 3))
run("lstm_h0c0", nn.LSTM(3, 4), (3, 2, 3), extra=(fill((1, 2, 4), 30), fill((1, 2, 4), 31)))
run("lstm_unbatched", nn.LSTM(3, 4), (5, 3))
run("gru_2layer", nn.GRU(3, 4, num_layers=2), (4, 2, 3))
run("gru_bidir_bf", nn.GRU(3, 4, bidirectional=True, batch_first=True), (2, 3, 3))

emb = nn.Embedding(5, 3)
with torch.no_grad():
    emb.weight.copy_(fill((5, 3), 1))
idx = torch.tensor([[0, 2, 4], [4, 1, 0]])
y = emb(idx)
(y * fill(y.shape, 20)).sum().backward()
cases["embedding"] = {"y": flat(y), "grad": flat(emb.weight.grad), "yShape": list(y.shape)}

# Losses: input fill(…, 10, 2.0); targets as given.
def loss_case(name, fn, inp, *rest):
    x = inp.clone().requires_grad_(True)
    out = fn(x, *rest)
    (out * fill(out.shape, 20)).sum().backward() if out.dim() > 0 else out.backward()
    cases[name] = {"y": flat(out), "yShape": list(out.shape), "xGrad": flat(x.grad)}

logits = fill((4, 3), 10, 2.0)
labels = torch.tensor([0, 2, 1, 2])
probs = torch.sigmoid(fill((2, 3), 10, 2.0))
bin_t = (fill((2, 3), 40) > 0).double()
pm1 = torch.where(fill((2, 3), 41) > 0, 1.0, -1.0)
loss_case("mse", nn.MSELoss(), fill((2, 3), 10, 2.0), fill((2, 3), 40))
loss_case("mse_sum", nn.MSELoss(reduction="sum"), fill((2, 3), 10, 2.0), fill((2, 3), 40))
loss_case("l1_none", nn.L1Loss(reduction="none"), fill((2, 3), 10, 2.0), fill((2, 3), 40))
loss_case("cross_entropy", nn.CrossEntropyLoss(), logits, labels)
loss_case("cross_entropy_weight_smooth", nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0, 0.5]), label_smoothing=0.1), logits, labels)
loss_case("cross_entropy_ignore", nn.CrossEntropyLoss(ignore_index=2), logits, labels)
loss_case("nll", nn.NLLLoss(), torch.log_softmax(logits, 1), labels)
loss_case("bce", nn.BCELoss(), probs, bin_t)
loss_case("bce_with_logits_pos_weight", nn.BCEWithLogitsLoss(pos_weight=torch.tensor([1.0, 2.0, 3.0])), fill((2, 3), 10, 2.0), bin_t)
loss_case("hinge_embedding", nn.HingeEmbeddingLoss(margin=0.5), fill((2, 3), 10, 2.0), pm1)
loss_case("margin_ranking", lambda a, b, y: nn.MarginRankingLoss(margin=0.2)(a, b, y), fill((2, 3), 10, 2.0), fill((2, 3), 40), pm1)
loss_case("multi_margin", nn.MultiMarginLoss(), logits, labels)
loss_case("huber", nn.HuberLoss(delta=0.5), fill((2, 3), 10, 2.0), fill((2, 3), 40))

with open("tests/src/nn/fixtures/modules.json", "w") as f:
    json.dump(cases, f)
print(len(cases), "cases")
