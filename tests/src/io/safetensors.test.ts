// save/load in the safetensors format: round trips, header rules, and interop with Python.
// The Python side (when /usr/bin/python3 has torch) reads our file with a strict reader that
// applies the safetensors crate's checks (8-byte header length, JSON header, offsets that tile
// the data exactly), and writes a file for us to load.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { io, load, nn, save, tensor } from "../../../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "gradnote-st-"));

function hasTorch(): boolean {
  if (!existsSync("/usr/bin/python3")) return false;
  try {
    execFileSync("/usr/bin/python3", ["-c", "import torch"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const PY_READER = `
import json, struct, sys, torch
DT = {"F32": torch.float32, "F64": torch.float64, "I32": torch.int32, "I64": torch.int64, "BOOL": torch.bool, "U8": torch.uint8}
raw = open(sys.argv[1], "rb").read()
(n,) = struct.unpack("<Q", raw[:8])
assert n % 8 == 0, "header not padded to 8 bytes"
header = json.loads(raw[8:8 + n])
data = raw[8 + n:]
meta = header.pop("__metadata__", {})
spans = sorted(tuple(v["data_offsets"]) for v in header.values())
pos = 0
for b, e in spans:
    assert b == pos, "offsets must tile the buffer"
    pos = e
assert pos == len(data), "data length mismatch"
out = {}
for k, v in header.items():
    b, e = v["data_offsets"]
    t = torch.frombuffer(bytearray(data[b:e]), dtype=DT[v["dtype"]]).reshape(v["shape"]) if e > b else torch.empty(v["shape"], dtype=DT[v["dtype"]])
    out[k] = {"dtype": v["dtype"], "shape": list(t.shape), "sum": float(t.double().sum()), "first": t.reshape(-1)[:3].double().tolist()}
print(json.dumps({"meta": meta, "tensors": out}))
`;

const PY_WRITER = `
import json, struct, sys, torch
ts = {"w": torch.arange(6, dtype=torch.float32).reshape(2, 3) / 4, "labels": torch.tensor([3, -1, 7], dtype=torch.int64),
      "d": torch.tensor([1.5], dtype=torch.float64), "h": torch.tensor([0.5, -2.0], dtype=torch.float16), "m": torch.tensor([True, False])}
header, blobs, pos = {}, [], 0
for k, t in ts.items():
    b = t.numpy().tobytes()
    header[k] = {"dtype": {torch.float32: "F32", torch.int64: "I64", torch.float64: "F64", torch.float16: "F16", torch.bool: "BOOL"}[t.dtype],
                 "shape": list(t.shape), "data_offsets": [pos, pos + len(b)]}
    blobs.append(b); pos += len(b)
h = json.dumps(header).encode()
open(sys.argv[1], "wb").write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
`;

describe("safetensors save/load", () => {
  it("round-trips a state dict with every dtype", () => {
    const sd = {
      "fc.weight": tensor([[1.5, -2], [3, 4]]),
      "fc.bias": tensor([0.25, 0.5], { dtype: "float64" }),
      steps: tensor([7], { dtype: "int32" }),
      mask: tensor([true, false, true], { dtype: "bool" }),
      scalar: tensor(3),
    };
    const path = join(dir, "rt.safetensors");
    save(sd, path, { format: "pt" });
    const back = load(path);
    expect(Object.keys(back).sort()).toEqual(Object.keys(sd).sort());
    for (const [k, t] of Object.entries(sd)) {
      expect(back[k].dtype).toBe(t.dtype);
      expect(back[k].shape).toEqual(t.shape);
      expect(back[k].toArray()).toEqual(t.toArray());
    }
    expect(io.loadMetadata(path)).toEqual({ format: "pt" });
    const bytes = readFileSync(path);
    expect(Number(bytes.readBigUInt64LE(0)) % 8).toBe(0);
  });

  it("restores a model through loadStateDict", () => {
    const a = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
    const b = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
    const path = join(dir, "model.safetensors");
    save(a.stateDict(), path);
    b.loadStateDict(load(path));
    const x = tensor([[1, 2, 3]]);
    expect(b(x).toArray()).toEqual(a(x).toArray());
  });

  it("rejects files that are not safetensors, naming the problem", () => {
    expect(() => io.deserialize(new Uint8Array([1, 2]))).toThrow("load: not a safetensors file (only 2 bytes)");
    const bad = new Uint8Array(16);
    new DataView(bad.buffer).setBigUint64(0, 1000n, true);
    expect(() => io.deserialize(bad)).toThrow(/header length 1000 exceeds file size 16/);
    const hdr = new TextEncoder().encode(JSON.stringify({ x: { dtype: "F32", shape: [2], data_offsets: [0, 4] } }));
    const f = new Uint8Array(8 + hdr.length + 4);
    new DataView(f.buffer).setBigUint64(0, BigInt(hdr.length), true);
    f.set(hdr, 8);
    expect(() => io.deserialize(f)).toThrow(/tensor "x" offsets \[0,4\] do not fit F32 \[2\]/);
    expect(() => save({ x: 3 as never }, join(dir, "bad.safetensors"))).toThrow('save: value of "x" is not a Tensor');
  });

  const torchOk = hasTorch();
  it.skipIf(!torchOk)(`is readable by Python (torch + a strict safetensors reader)${torchOk ? "" : " (skipped: no torch under /usr/bin/python3)"}`, () => {
    const path = join(dir, "py.safetensors");
    save({ a: tensor([[1, 2, 3], [4, 5, 6]]), b: tensor([0.5], { dtype: "float64" }), c: tensor([1, 2], { dtype: "int32" }), d: tensor([true], { dtype: "bool" }) }, path, { by: "gradnote" });
    const py = join(dir, "reader.py");
    writeFileSync(py, PY_READER);
    const out = JSON.parse(execFileSync("/usr/bin/python3", [py, path], { encoding: "utf8" }));
    expect(out.meta).toEqual({ by: "gradnote" });
    expect(out.tensors.a).toEqual({ dtype: "I64", shape: [2, 3], sum: 21, first: [1, 2, 3] });
    expect(out.tensors.b).toEqual({ dtype: "F64", shape: [1], sum: 0.5, first: [0.5] });
    expect(out.tensors.c.sum).toBe(3);
    expect(out.tensors.d.dtype).toBe("BOOL");
  });

  it.skipIf(!torchOk)("loads a file written from PyTorch tensors (int64 stays int64, float16 → float32)", () => {
    const path = join(dir, "from-py.safetensors");
    const py = join(dir, "writer.py");
    writeFileSync(py, PY_WRITER);
    execFileSync("/usr/bin/python3", [py, path]);
    const t = load(path);
    expect(t.w.toArray()).toEqual([[0, 0.25, 0.5], [0.75, 1, 1.25]]);
    expect(t.labels.dtype).toBe("int64");
    expect(t.labels.toArray()).toEqual([3, -1, 7]);
    expect(t.d.dtype).toBe("float64");
    expect(t.h.toArray()).toEqual([0.5, -2]);
    expect(t.m.toArray()).toEqual([true, false]);
  });
});
