// The WASM sgemm of every shipped flavour against a float64 reference, over the shapes that pick
// its different paths: the small-batch product read in place (A · Wᵀ), few rows with B read in
// place (a convolution's output channels, with 1- and 2-row tails), and the packed path; with
// transposed operands, partial panels, inner sizes past one block, and accumulation into C.
import { readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { describe, expect, it } from "vitest";

setFlagsFromString("--experimental-wasm-relaxed-simd");
const dir = new URL("../../../src/backend/pool/wasm/", import.meta.url);

interface Gemm {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  __heap_base: { value: number };
  sgemm(m: number, n: number, k: number, a: number, rsa: number, csa: number, b: number, rsb: number, csb: number, c: number, ldc: number, acc: number): void;
}

// The project's TypeScript libs do not declare WebAssembly (as in src/backend/pool/wasm.ts).
const WA = Reflect.get(globalThis, "WebAssembly") as { Module: new (b: Uint8Array) => object; Instance: new (m: object, i: object) => { exports: unknown } };

function load(flavor: string): Gemm {
  const bytes = readFileSync(new URL(`gradnote-kernels-${flavor}.wasm`, dir));
  return new WA.Instance(new WA.Module(bytes), {}).exports as Gemm;
}

let seed = 1;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) * 2 - 1;

/** Runs C (ldc = n + 3) = [C +] A·B in WASM and returns the largest error against float64. */
function check(g: Gemm, m: number, n: number, k: number, aT: boolean, bT: boolean, accumulate: boolean): number {
  const ldc = n + 3;
  const base = (g.__heap_base.value + 63) & ~63;
  const bytes = base + (m * k + k * n + m * ldc + 64) * 4;
  if (g.memory.buffer.byteLength < bytes) g.memory.grow(Math.ceil((bytes - g.memory.buffer.byteLength) / 65536));
  const f = new Float32Array(g.memory.buffer);
  const pa = base >> 2, pb = pa + m * k, pc = pb + k * n;
  const A = Float32Array.from({ length: m * k }, rand), B = Float32Array.from({ length: k * n }, rand), C0 = Float32Array.from({ length: m * ldc }, rand);
  f.set(A, pa);
  f.set(B, pb);
  f.set(C0, pc);
  // A is m×k stored row-major, or its transpose (k×m row-major) read with swapped strides.
  const [rsa, csa] = aT ? [1, m] : [k, 1];
  const [rsb, csb] = bT ? [1, k] : [n, 1];
  g.sgemm(m, n, k, pa * 4, rsa, csa, pb * 4, rsb, csb, pc * 4, ldc, accumulate ? 1 : 0);
  let err = 0;
  for (let i = 0; i < m; i++)
    for (let j = 0; j < ldc; j++) {
      const got = f[pc + i * ldc + j];
      if (j >= n) {
        // Columns past n belong to someone else: untouched.
        if (got !== C0[i * ldc + j]) return Infinity;
        continue;
      }
      let want = accumulate ? C0[i * ldc + j] : 0;
      for (let p = 0; p < k; p++) want += A[i * rsa + p * csa] * B[p * rsb + j * csb];
      err = Math.max(err, Math.abs(got - want) / (1 + Math.abs(want)));
    }
  return err;
}

const shapes: [number, number, number][] = [
  [1, 1, 1], [2, 9, 25], [3, 8, 7], [5, 33, 25], [6, 12544 / 49, 25], [7, 17, 300], [16, 40, 150], [17, 9, 31],
  [32, 64, 64], [64, 20, 16], [64, 13, 300], [65, 70, 257], [130, 9, 6], [150, 100, 16], [9, 1, 3],
];

describe.each(["relaxed", "simd", "scalar"])("sgemm (%s build)", (flavor) => {
  const g = load(flavor);
  for (const [m, n, k] of shapes)
    for (const aT of [false, true])
      for (const bT of [false, true])
        it(`${m}x${k} · ${k}x${n}${aT ? " Aᵀ" : ""}${bT ? " Bᵀ" : ""}`, () => {
          expect(check(g, m, n, k, aT, bT, false)).toBeLessThan(2e-5 * Math.sqrt(k) + 1e-6);
          expect(check(g, m, n, k, aT, bT, true)).toBeLessThan(2e-5 * Math.sqrt(k) + 1e-6);
        });
});
