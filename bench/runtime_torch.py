# PyTorch side of `npm run bench:runtime`: the same workloads as bench/runtime-gradnote.mjs,
# single-threaded (OPENBLAS_NUM_THREADS=1 and torch.set_num_threads(1) unless --threads N).
# Prints one JSON object on its last line; bench/runtime.mjs reads it and builds the table.
import gzip, json, os, statistics, sys, time

threads = 1
for i, a in enumerate(sys.argv):
    if a == "--threads":
        threads = int(sys.argv[i + 1])
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(threads)
torch.manual_seed(0)
out = {"version": torch.__version__, "threads": threads}


def median_time(fn, repeats, warmup=1, warm_s=0.0):
    for _ in range(warmup):
        fn()
    # Then warm for at least warm_s seconds (as bench/runtime-gradnote.mjs: steady state).
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < warm_s:
        fn()
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


for n in (256, 512, 1024):
    a, b = torch.randn(n, n), torch.randn(n, n)
    inner = max(1, int(2e8 // (2 * n**3)))  # keep each timed call well above timer resolution

    def mm():
        for _ in range(inner):
            torch.mm(a, b)

    # Steady state, as bench/runtime-gradnote.mjs: products for 0.5 s before timing.
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < 0.5:
        torch.mm(a, b)
    t = median_time(mm, 7) / inner
    out[f"matmul{n}"] = 2 * n**3 / t / 1e9

root = "/usr/share/datasets/fashion-mnist"


def idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return torch.frombuffer(bytearray(raw[4 + 4 * ndim :]), dtype=torch.uint8).reshape(shape)


if os.path.exists(f"{root}/train-images-idx3-ubyte.gz"):
    X = idx(f"{root}/train-images-idx3-ubyte.gz").float().div(255).reshape(-1, 784)
    Y = idx(f"{root}/train-labels-idx1-ubyte.gz").long()
    out["data"] = "fashion-mnist"
else:
    X, Y = torch.rand(60000, 784), torch.randint(0, 10, (60000,))
    out["data"] = "random"


def epoch():
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    perm = torch.randperm(X.shape[0])
    for i in range(0, X.shape[0], 64):
        idx_ = perm[i : i + 64]
        opt.zero_grad()
        loss = F.cross_entropy(model(X[idx_]), Y[idx_])
        loss.backward()
        opt.step()


out["mlpEpoch"] = median_time(epoch, 3, warmup=0)

lenet = nn.Sequential(
    nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
    nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
)
xb, yb = torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,))


def lenet_step():
    lenet.zero_grad()
    F.cross_entropy(lenet(xb), yb).backward()


WARM_S = 0.5
out["lenetStep"] = median_time(lenet_step, 50, warmup=10, warm_s=WARM_S)

lstm = nn.LSTM(64, 128, batch_first=True)
xs = torch.randn(32, 1, 64)


def lstm_fwd():
    with torch.no_grad():
        lstm(xs)


def lstm_step():
    lstm.zero_grad()
    o, _ = lstm(xs)
    o.sum().backward()


out["lstmFwd"] = median_time(lstm_fwd, 200, warmup=10, warm_s=WARM_S)
out["lstmStep"] = median_time(lstm_step, 200, warmup=10, warm_s=WARM_S)

# The same layer over a 35-step sequence (backpropagation through time), as a language model trains.
xs35 = torch.randn(32, 35, 64)


def lstm_seq():
    lstm.zero_grad()
    o, _ = lstm(xs35)
    o.sum().backward()


out["lstmSeq"] = median_time(lstm_seq, 30, warmup=3, warm_s=WARM_S)

# Per-op overhead on tiny tensors: an add on 16 floats, and a 2-8-1 MLP forward+backward on batch 4.
ta, tb = torch.randn(16), torch.randn(16)


def tiny_adds():
    for _ in range(2000):
        torch.add(ta, tb)


out["tinyAdd"] = median_time(tiny_adds, 15, warmup=2, warm_s=WARM_S) / 2000
tiny = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
tx = torch.randn(4, 2)


def tiny_step():
    tiny.zero_grad()
    tiny(tx).sum().backward()


out["tinyStep"] = median_time(tiny_step, 200, warmup=20, warm_s=WARM_S)
print(json.dumps(out))
