# PyTorch side of the 900-cell memory figure in `npm run bench:runtime` (bench/runtime-cells.mjs
# is gradnote's): one Python process runs the same 900 iterations, each making a few 256x256
# tensors under reassigned names, and reports its RSS after `import torch`, its peak (the
# kernel's high-water mark, VmHWM) and its final RSS. Prints one JSON object on its last line.
import json, os, sys, time

import torch

cells = int(os.environ.get("BENCH_CELLS", "900"))
torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2")))


def status(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


a = torch.randn(256, 256)
b = (a @ a).relu().add(1)
b.sum().item()
start = status("VmRSS")
t0 = time.perf_counter()
for _ in range(cells):
    a = torch.randn(256, 256)
    b = (a @ a).relu().add(1)
    b.sum().item()
seconds = time.perf_counter() - t0
print(json.dumps({
    "version": torch.__version__, "threads": torch.get_num_threads(), "cells": cells, "startMiB": start,
    "peakMiB": status("VmHWM"), "finalMiB": status("VmRSS"), "seconds": seconds,
}))
