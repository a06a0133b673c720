// Shared helpers of the runtime benchmark's JS parts: median timing and the Fashion-MNIST
// training set as flat arrays (random data of the same shape when the Debian package is absent).
import { existsSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

const ROOT = "/usr/share/datasets/fashion-mnist";

function idx(path) {
  const b = gunzipSync(readFileSync(path));
  const ndim = b[3];
  const shape = [];
  for (let i = 0; i < ndim; i++) shape.push(b.readUInt32BE(4 + 4 * i));
  return { shape, data: new Uint8Array(b.buffer, b.byteOffset + 4 + 4 * ndim, shape.reduce((a, c) => a * c, 1)) };
}

/** Fashion-MNIST training images (n*784 floats in [0,1]) and labels (Int32Array). */
export function fashionTrain() {
  if (existsSync(`${ROOT}/train-images-idx3-ubyte.gz`)) {
    const im = idx(`${ROOT}/train-images-idx3-ubyte.gz`);
    const lb = idx(`${ROOT}/train-labels-idx1-ubyte.gz`);
    const x = new Float32Array(im.data.length);
    for (let i = 0; i < x.length; i++) x[i] = im.data[i] / 255;
    return { x, y: Int32Array.from(lb.data), n: lb.shape[0], source: "fashion-mnist" };
  }
  const n = 60000;
  const x = new Float32Array(n * 784).map(() => Math.random());
  const y = new Int32Array(n).map(() => Math.floor(Math.random() * 10));
  return { x, y, n, source: "random" };
}

/** Median seconds of `fn` over `repeats` runs after `warmup` untimed runs. Awaits async fns. */
export async function medianTime(fn, repeats, warmup = 1, warmMs = 0) {
  for (let i = 0; i < warmup; i++) await fn();
  // Then warm for at least warmMs (steady state: V8 has optimized the code the workload runs).
  for (const t0 = performance.now(); performance.now() - t0 < warmMs; ) await fn();
  const ts = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    ts.push((performance.now() - t0) / 1000);
  }
  ts.sort((a, b) => a - b);
  const m = ts.length >> 1;
  return ts.length % 2 ? ts[m] : (ts[m - 1] + ts[m]) / 2;
}

/** A deterministic permutation of 0..n-1 (Fisher-Yates with a small LCG). */
export function permutation(n, seed = 1) {
  const p = new Int32Array(n).map((_, i) => i);
  let s = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    const t = p[i]; p[i] = p[j]; p[j] = t;
  }
  return p;
}
