// The pool worker's collection policy (src/backend/pool/worker-gc.ts): it adds up the distinct
// buffers each op refers to and collects past a threshold, and before sleeping when any op ran.
// The end-to-end effect (a kernel's dropped tensors freed) is in tests/kernel/tensor-memory.test.ts.
import { describe, expect, it } from "vitest";
import { afterOp, beforeSleep, bufferBytes, workerCollections } from "../../../src/backend/pool/worker-gc.js";

describe("bufferBytes", () => {
  it("counts each buffer once, however many parts and views refer to it", () => {
    const out = new Float32Array(new SharedArrayBuffer(4000));
    const x = new Float32Array(new SharedArrayBuffer(800));
    const jobs = [0, 1, 2].map((i) => ({
      kind: "map",
      out: { data: out.subarray(i * 300, (i + 1) * 300), shape: [300], strides: [1], offset: 0 },
      inputs: [{ data: x, shape: [200], strides: [1], offset: 0 }, { data: x.subarray(10), shape: [190], strides: [1], offset: 0 }],
      param: 0,
    }));
    expect(bufferBytes(jobs)).toBe(4800);
  });

  it("finds typed arrays at the top of a job and in nested objects, and ignores the rest", () => {
    const ix = new Int32Array(16);
    const gy = new Float32Array(new SharedArrayBuffer(256));
    expect(bufferBytes([{ kind: "convBackward", gy: { data: gy, shape: [4, 16] }, gx: null, geo: { k: 3 }, indices: ix, n0: 0 }])).toBe(256 + 64);
    expect(bufferBytes([{ kind: "fail", message: "no buffers" }])).toBe(0);
    expect(bufferBytes([])).toBe(0);
  });
});

describe("the worker's collections", () => {
  it("collect once an op's buffers pass the threshold, and before sleeping only after some op", () => {
    const start = workerCollections();
    beforeSleep();
    expect(workerCollections()).toBe(start); // nothing ran since the last collection
    const small = [{ kind: "map", out: new Float32Array(new SharedArrayBuffer(1024)) }];
    afterOp(small);
    expect(workerCollections()).toBe(start); // 1 KiB: under the 32 MiB default
    beforeSleep();
    expect(workerCollections()).toBe(start + 1);
    beforeSleep();
    expect(workerCollections()).toBe(start + 1);
    const big = [{ kind: "map", out: new Float32Array(new SharedArrayBuffer(33 * 2 ** 20)) }];
    afterOp(big);
    expect(workerCollections()).toBe(start + 2);
    beforeSleep();
    expect(workerCollections()).toBe(start + 2); // the big op's collection left nothing pending
  });
});
