// The native AVX2 / AVX-512 kernels (dist/gradnote-native.node, built by `npm run build` with the machine's
// C compiler) against float64 references and the WASM Adam, over the shapes that pick their
// paths: B read in place for a few rows (with a packed partial panel), B packed row-major and
// column-major (8x8 transposes, with k past one block and not a multiple of 8), partial row and
// column panels, bias, accumulation, strides and offsets; and the argument checks that keep a
// wrong offset from reading or writing outside a tensor.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { describe, expect, it } from "vitest";
import { nativeAlloc, nativeKernels, type NativeKernels } from "../../../src/backend/pool/native.js";
import { claimPart, poolStats, runNativeParts, splitPolicy, TICKET } from "../../../src/backend/pool/pool.js";
import { cpuInfo, nn, optim, randn, manualSeed } from "../../../src/index.js";

const x64 = process.platform === "linux" && process.arch === "x64";
/** What cpuInfo().native must say here: AVX-512 products where /proc/cpuinfo lists avx512f. */
const HAS512 = x64 && /^flags\s*:(?=.*\bavx512f\b)(?=.*\bavx512dq\b).*/m.test(readFileSync("/proc/cpuinfo", "utf8"));
const ISA = HAS512 && process.env.GRADNOTE_NATIVE !== "avx2" ? "avx512" : "avx2";
let seed = 5;
const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) * 2 - 1;

function gemmError(nat: NativeKernels, m: number, n: number, k: number, aT: boolean, bT: boolean, bias: boolean, acc: boolean, shared: boolean): number {
  const mk = (len: number) => {
    const a = shared ? new Float32Array(new SharedArrayBuffer(4 * len)) : new Float32Array(len);
    for (let i = 0; i < len; i++) a[i] = rand();
    return a;
  };
  const aOff = 3, bOff = 5, cOff = 7, ldc = n + 2;
  const A = mk(aOff + m * k), B = mk(bOff + k * n), C = mk(cOff + m * ldc + 4), bias32 = mk(n + 1);
  const C0 = C.slice();
  const [rsa, csa] = aT ? [1, m] : [k, 1];
  const [rsb, csb] = bT ? [1, k] : [n, 1];
  nat.sgemm(C, cOff, ldc, A, aOff, rsa, csa, B, bOff, rsb, csb, m, k, n, bias ? bias32 : null, 1, acc ? 1 : 0);
  let err = 0;
  for (let e = 0; e < C.length; e++) {
    const r = e - cOff, i = Math.floor(r / ldc), j = r - i * ldc;
    if (r < 0 || i >= m || j >= n) {
      if (C[e] !== C0[e]) return Infinity; // outside the product: untouched
      continue;
    }
    let want = (acc ? C0[e] : 0) + (bias ? bias32[1 + j] : 0);
    for (let p = 0; p < k; p++) want += A[aOff + i * rsa + p * csa] * B[bOff + p * rsb + j * csb];
    err = Math.max(err, Math.abs(C[e] - want) / (1 + Math.abs(want)));
  }
  return err;
}

const shapes: [number, number, number][] = [
  [1, 1, 1], [1, 17, 3], [2, 16, 9], [5, 33, 25], [6, 16, 8], [7, 31, 300], [24, 40, 150], [25, 9, 31],
  [32, 64, 64], [64, 128, 200], [65, 70, 257], [121, 18, 17], [130, 9, 6], [13, 300, 520],
];

describe.skipIf(!x64)("native AVX2 kernels", () => {
  const nat = nativeKernels();

  it("are built and used on this x86-64 Linux machine (a C compiler is on every supported machine)", () => {
    expect(nat, cpuInfo().notice).not.toBeNull();
    expect(cpuInfo().native).toBe(ISA);
  });

  it("sgemm gives the same floats on AVX-512 as on AVX2 (same k order per element), and GRADNOTE_NATIVE=avx2 keeps to AVX2", () => {
    const run = (m: number, n: number, k: number, aT: boolean, bT: boolean, acc: boolean): Uint32Array => {
      seed = m * 7919 + n * 31 + k;
      const A = Float32Array.from({ length: m * k + 3 }, rand), B = Float32Array.from({ length: k * n + 5 }, rand);
      const C = Float32Array.from({ length: m * (n + 2) }, rand), bias = Float32Array.from({ length: n }, rand);
      const [rsa, csa] = aT ? [1, m] : [k, 1];
      const [rsb, csb] = bT ? [1, k] : [n, 1];
      nat!.sgemm(C, 0, n + 2, A, 3, rsa, csa, B, 5, rsb, csb, m, k, n, acc ? null : bias, 0, acc ? 1 : 0);
      return new Uint32Array(C.buffer);
    };
    try {
      for (const [m, n, k] of [...shapes, [32, 512, 128], [70, 1100, 300]] as [number, number, number][])
        for (const aT of [false, true])
          for (const bT of [false, true])
            for (const acc of [false, true]) {
              expect(nat!.isa(1)).toBe(HAS512 ? "avx512" : "avx2");
              const wide = run(m, n, k, aT, bT, acc);
              expect(nat!.isa(0)).toBe("avx2");
              expect(Array.from(run(m, n, k, aT, bT, acc)), JSON.stringify({ m, n, k, aT, bT, acc })).toEqual(Array.from(wide));
            }
    } finally {
      nat!.isa(ISA === "avx512" ? 1 : 0);
    }
    const script = `import { cpuInfo } from "${new URL("../../../dist/gradnote.mjs", import.meta.url).href}"; console.log(cpuInfo().native);`;
    const isa = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000, env: { ...process.env, GRADNOTE_NATIVE: "avx2" } });
    expect(isa.trim()).toBe("avx2");
  });

  for (const [m, n, k] of shapes) {
    it(`sgemm ${m}x${n}x${k} matches float64 in every layout, with bias and accumulation`, () => {
      for (const aT of [false, true])
        for (const bT of [false, true])
          for (const [bias, acc, shared] of [[false, false, true], [true, false, false], [false, true, false], [true, true, true]]) {
            expect(gemmError(nat!, m, n, k, aT, bT, bias, acc, shared), JSON.stringify({ aT, bT, bias, acc })).toBeLessThan(2e-5);
          }
    });
  }

  it("sgemm with k = 0 writes zeros, or leaves C when accumulating", () => {
    const C = new Float32Array([1, 2, 3, 4]);
    nat!.sgemm(C, 0, 2, new Float32Array(1), 0, 0, 1, new Float32Array(1), 0, 2, 1, 2, 0, 2, null, 0, 1);
    expect([...C]).toEqual([1, 2, 3, 4]);
    nat!.sgemm(C, 0, 2, new Float32Array(1), 0, 0, 1, new Float32Array(1), 0, 2, 1, 2, 0, 2, null, 0, 0);
    expect([...C]).toEqual([0, 0, 0, 0]);
  });

  it("throws instead of touching memory outside an operand, naming it", () => {
    const f = (len: number) => new Float32Array(len);
    const C = f(6);
    // A 2x3 product needs 6 elements of C from offset 1: one too many.
    expect(() => nat!.sgemm(C, 1, 3, f(6), 0, 3, 1, f(9), 0, 3, 1, 2, 3, 3, null, 0, 0)).toThrow(/sgemm: C spans elements \[1, 6\] of an array of 6/);
    expect(() => nat!.sgemm(f(6), 0, 3, f(5), 0, 3, 1, f(9), 0, 3, 1, 2, 3, 3, null, 0, 0)).toThrow(/A spans/);
    expect(() => nat!.sgemm(f(6), 0, 3, f(6), 0, 3, 1, f(9), 0, 1, 3, 2, 3, 3, null, 0, 0)).not.toThrow();
    expect(() => nat!.sgemm(f(6), 0, 3, f(6), 0, 3, 1, f(9), 1, 1, 3, 2, 3, 3, null, 0, 0)).toThrow(/B spans/);
    expect(() => nat!.sgemm(f(6), 0, 3, f(6), 0, 3, 1, f(9), 0, 3, 1, 2, 3, 3, f(2), 0, 0)).toThrow(/bias spans/);
    expect(() => nat!.sgemm(f(6), -1, 3, f(6), 0, 3, 1, f(9), 0, 3, 1, 2, 3, 3, null, 0, 0)).toThrow(RangeError);
    expect(() => nat!.sgemm(new Float64Array(6) as never, 0, 3, f(6), 0, 3, 1, f(9), 0, 3, 1, 2, 3, 3, null, 0, 0)).toThrow(/C must be a Float32Array/);
    expect(() => nat!.sgemm(f(6), 0.5, 3, f(6), 0, 3, 1, f(9), 0, 3, 1, 2, 3, 3, null, 0, 0)).toThrow(/cOff must be an integer/);
    expect(() => nat!.sgemm(f(6), 0, 2, f(6), 0, 3, 1, f(9), 0, 3, 1, 2, 3, 3, null, 0, 0)).toThrow(/ldc must be at least n/);
    expect(() => (nat!.sgemm as (...a: unknown[]) => void)(f(6), 0, 3)).toThrow(/expected 17 arguments/);
  });

  it("colsum sums columns in float64 in columnSums' order (rows by four, then one by one), and checks its extents", () => {
    for (const [rows, cols, rs] of [[1, 8, 8], [7, 300, 301], [64, 512, 512], [9, 1000, 1003]]) {
      const x = Float32Array.from({ length: 2 + (rows - 1) * rs + cols }, (_, i) => (i % 11 === 3 ? 1e8 : rand()));
      const out = new Float32Array(cols);
      nat!.colsum(out, x, 2, rows, cols, rs);
      const want = new Float32Array(cols);
      for (let j = 0; j < cols; j++) {
        let acc = 0, r = 0;
        for (; r + 4 <= rows; r += 4) {
          const at = (q: number) => x[2 + (r + q) * rs + j];
          acc += at(0) + at(1) + (at(2) + at(3));
        }
        for (; r < rows; r++) acc += x[2 + r * rs + j];
        want[j] = acc;
      }
      expect(Array.from(out), JSON.stringify({ rows, cols, rs })).toEqual(Array.from(want));
    }
    expect(() => nat!.colsum(new Float32Array(8), new Float32Array(20), 0, 3, 8, 8)).toThrow(/colsum: x spans elements \[0, 23\] of an array of 20/);
    expect(() => nat!.colsum(new Float32Array(4), new Float32Array(64), 0, 3, 8, 8)).toThrow(/colsum: out spans/);
  });

  it("adam gives the very floats of the WASM kernel (same operation order, no fused multiply-add; 16, 8, 4 and 1 lanes)", async () => {
    setFlagsFromString("--experimental-wasm-relaxed-simd");
    const { wasmKernels } = await import("../../../src/backend/pool/wasm.js");
    const w = wasmKernels()!;
    const n = 1007;
    const mk = () => Float32Array.from({ length: n }, rand);
    const p = mk(), g = mk(), m = mk(), v = mk().map(Math.abs);
    const hyper = [0.9, 0.999, 1e-3 / (1 - 0.9 ** 3), Math.sqrt(1 - 0.999 ** 3), 1e-8, 0.99, 0.01, 1] as const;
    const f = w.reserve(4 * n * 4);
    const P = w.base >> 2;
    [p, g, m, v].forEach((a, i) => f.set(a, P + i * n));
    w.exports.adam_f32(P * 4, (P + n) * 4, (P + 2 * n) * 4, (P + 3 * n) * 4, n, ...hyper);
    const np = p.slice(), nm = m.slice(), nv = v.slice();
    nat!.adam(np, g, nm, nv, ...hyper);
    expect([...np]).toEqual([...w.f32.subarray(P, P + n)]);
    expect([...nm]).toEqual([...w.f32.subarray(P + 2 * n, P + 3 * n)]);
    expect([...nv]).toEqual([...w.f32.subarray(P + 3 * n, P + 4 * n)]);
    expect(() => nat!.adam(np, g.subarray(1), nm, nv, ...hyper)).toThrow(/same length/);
  });

  it("a training step gives the same model with and without them (GRADNOTE_NATIVE=off: WASM)", () => {
    const script = `
      import { nn, optim, randn, manualSeed, cpuInfo } from "${new URL("../../../dist/gradnote.mjs", import.meta.url).href}";
      manualSeed(1);
      const model = new nn.Sequential(new nn.Linear(300, 64), new nn.ReLU(), new nn.Linear(64, 10));
      const opt = new optim.Adam(model.parameters(), { lr: 1e-2 });
      const x = randn([50, 300]), y = randn([50, 10]);
      for (let i = 0; i < 5; i++) { opt.zeroGrad(); model(x).sub(y).pow(2).mean().backward(); opt.step(); }
      console.log(JSON.stringify({ native: cpuInfo().native, w: Array.from(model.parameters()[0].dataSync().slice(0, 50)) }));`;
    const run = (env: Record<string, string>) =>
      JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000, env: { ...process.env, ...env } }));
    const on = run({}), off = run({ GRADNOTE_NATIVE: "off" });
    expect(on.native).toBe(ISA);
    expect(off.native).toBe("");
    for (let i = 0; i < 50; i++) expect(Math.abs(on.w[i] - off.w[i])).toBeLessThan(1e-4);
  });

  it("the pool's products and Adam steps run through them in every thread", () => {
    manualSeed(2);
    const lin = new nn.Linear(512, 256);
    const opt = new optim.Adam(lin.parameters());
    const x = randn([256, 512]);
    opt.zeroGrad();
    lin(x).sum().backward();
    opt.step();
    const want = x.to("cpu-ref").matmul(lin.weight.to("cpu-ref").t()).add(lin.bias!.to("cpu-ref")).dataSync();
    const got = lin(x).dataSync();
    let err = 0;
    for (let i = 0; i < got.length; i++) err = Math.max(err, Math.abs(got[i] - want[i]));
    expect(err).toBeLessThan(1e-3);
  });

  it("split products (batched, broadcast, biased, into small unshared outputs) match the reference on every thread", () => {
    const saved = { ...splitPolicy };
    splitPolicy.minMacs = 1;
    splitPolicy.minNativeMacs = 1;
    try {
      manualSeed(4);
      const before = poolStats().byWorkers;
      const cases: [number[], number[]][] = [[[4, 30, 20], [4, 20, 50]], [[3, 2, 17, 9], [9, 40]], [[5, 7], [7, 3]], [[70, 33], [33, 200]], [[2, 1, 6, 8], [1, 3, 8, 6]], [[300, 400], [400, 300]]];
      for (let rep = 0; rep < 3; rep++)
        for (const [sa, sb] of cases) {
          const a = randn(sa), b = randn(sb);
          const got = a.matmul(b).dataSync(), want = a.to("cpu-ref").matmul(b.to("cpu-ref")).dataSync();
          for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-4);
          const lin = new nn.Linear(sa[sa.length - 1], 11);
          const y = lin(a).dataSync(), r = a.to("cpu-ref").matmul(lin.weight.to("cpu-ref").t()).add(lin.bias!.to("cpu-ref")).dataSync();
          for (let i = 0; i < y.length; i++) expect(Math.abs(y[i] - r[i])).toBeLessThan(1e-4);
        }
      // The workers took parts (they poll between ops), so the descriptors crossed threads.
      expect(poolStats().byWorkers).toBeGreaterThan(before);
    } finally {
      Object.assign(splitPolicy, saved);
    }
  });

  it("a failing part on any thread throws after every part finished, and the next op runs", () => {
    const fill = (d: Float64Array, o: number) => {
      d.fill(0, o, o + 24);
      d[o] = 99;
    };
    for (let i = 0; i < 5; i++) expect(() => runNativeParts(8, fill, (d, slot) => nat!.runPart(d, slot))).toThrow(/unknown part kind/);
    const x = randn([64, 64]);
    expect(() => x.matmul(x).dataSync()).not.toThrow();
    expect(() => nat!.runPart(new Float64Array(24), 1)).toThrow(/slot is past the descriptors/);
  });

  it("a part is claimed once, and never under an op's stale number", () => {
    const ctl = new Int32Array(4);
    Atomics.store(ctl, TICKET, 7 << 16);
    expect([claimPart(ctl, 7, 3), claimPart(ctl, 7, 3), claimPart(ctl, 7, 3), claimPart(ctl, 7, 3)]).toEqual([0, 1, 2, -1]);
    Atomics.store(ctl, TICKET, 8 << 16);
    expect(claimPart(ctl, 7, 3)).toBe(-1);
    expect(claimPart(ctl, 8, 3)).toBe(0);
  });

  it("the allocator hands out zero-filled shared buffers and reuses collected ones", () => {
    expect(nativeAlloc()).not.toBeNull();
    const script = `
      import { createRequire } from "node:module";
      const a = createRequire(import.meta.url)(${JSON.stringify(new URL("../../../dist/gradnote-alloc.node", import.meta.url).pathname)});
      let dirty = 0;
      for (let i = 0; i < 400; i++) {
        const buf = a.alloc(1000000 + (i % 3) * 4);
        const f = new Float32Array(buf);
        if (!(buf instanceof SharedArrayBuffer) || buf.byteLength !== 1000000 + (i % 3) * 4) throw new Error("wrong buffer");
        for (let j = 0; j < f.length; j += 997) if (f[j] !== 0) dirty++;
        f.fill(7);
      }
      // zero 0: a block from the cache comes back as it was left (the 7s), not cleared first.
      let kept = 0;
      for (let i = 0; i < 20; i++) if (new Float32Array(a.alloc(1000000, 0))[0] === 7) kept++;
      const [cached, hits] = a.stats();
      // Cap 0 first: V8 frees buffers on a background thread, so blocks could otherwise be cached
      // again between trim() and stats().
      a.configure(0, 32 << 20);
      a.trim();
      const after = a.stats()[0];
      const held = a.alloc(3000000);
      console.log(JSON.stringify({ dirty, kept, hits, cached, after, live: a.stats()[3], held: held.byteLength }));`;
    const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 }).trim());
    expect(out.dirty).toBe(0);
    expect(out.kept).toBeGreaterThan(0);
    expect(out.hits).toBeGreaterThan(100);
    expect(out.after).toBe(0);
    // What V8 has not freed is counted live: at least the buffer still held.
    expect(out.live).toBeGreaterThanOrEqual(3000000);
    expect(() => nativeAlloc()!.alloc(100)).toThrow(/at least 32768/);
    expect(() => nativeAlloc()!.configure(-1, 0)).toThrow(/two byte counts/);
  });

  it("products written into recycled storage (not cleared first) leave nothing of its old contents", () => {
    // The cache is first filled with NaN blocks of the outputs' sizes; then every product (k = 0
    // included, batched, broadcast, with a bias) must match float64 and hold no NaN.
    const script = `
      import { full, randn, zeros, nn, manualSeed, noGrad } from "${new URL("../../../dist/gradnote.mjs", import.meta.url).href}";
      manualSeed(3);
      const shapes = [[[200, 0], [0, 300]], [[200, 1], [1, 300]], [[200, 37], [37, 300]], [[3, 90, 40], [40, 200]], [[2, 1, 130, 9], [4, 9, 130]]];
      const outSize = ([a, b]) => a.slice(0, -1).reduce((p, v) => p * v, 1) * b[b.length - 1] * (a.length === 4 ? 4 : 1);
      let worst = 0, nan = 0;
      for (let round = 0; round < 3; round++) {
        for (const s of shapes) for (let i = 0; i < 4; i++) full([outSize(s)], NaN).dataSync();
        globalThis.gc();
        noGrad(() => {
          for (const [sa, sb] of shapes) {
            const a = randn(sa), b = randn(sb);
            const y = a.matmul(b), Y = y.dataSync();
            const r = a.to("cpu-ref").matmul(b.to("cpu-ref")).dataSync();
            for (let i = 0; i < Y.length; i++) { if (Y[i] !== Y[i]) nan++; worst = Math.max(worst, Math.abs(Y[i] - r[i])); }
          }
          const lin = new nn.Linear(37, 300), x = randn([200, 37]);
          const Y = lin(x).dataSync(), r = x.to("cpu-ref").matmul(lin.weight.to("cpu-ref").t()).add(lin.bias.to("cpu-ref")).dataSync();
          for (let i = 0; i < Y.length; i++) { if (Y[i] !== Y[i]) nan++; worst = Math.max(worst, Math.abs(Y[i] - r[i])); }
        });
      }
      console.log(JSON.stringify({ worst, nan }));`;
    const out = JSON.parse(execFileSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 }).trim().split("\n").pop()!);
    expect(out.nan).toBe(0);
    expect(out.worst).toBeLessThan(1e-3);
  });

  it("elementwise ops, comparisons, masks and max pooling agree with the reference bit for bit (NaN, ties, broadcasts)", () => {
    const saved = { ...splitPolicy };
    try {
      for (const split of [false, true]) {
        if (split) splitPolicy.minElements = 1;
        manualSeed(9);
        const x = randn([8, 3, 12, 12]);
        const d = x.dataSync() as Float32Array;
        d[5] = NaN;
        d[100] = -0;
        d[200] = d[201]; // a tie inside a pooling window
        const y = randn([8, 3, 12, 12]), row = randn([12]), scalar = randn([1]);
        const ref = (t: typeof x) => t.to("cpu-ref");
        // Bit for bit (toEqual tells -0 from +0 and matches NaN), or within `ulps` float32 ulps.
        const same = (got: typeof x, want: typeof x, what: string, ulps = 0) => {
          expect(got.shape, what).toEqual(want.shape);
          const g = Array.from(got.dataSync() as ArrayLike<number>), w = Array.from(want.dataSync() as ArrayLike<number>);
          if (ulps === 0) return expect(g, what).toEqual(w);
          g.forEach((v, i) => (Number.isNaN(w[i]) ? expect(v, what).toBeNaN() : expect(Math.abs(v - w[i]), what).toBeLessThanOrEqual(ulps * 1.2e-7 * Math.max(1, Math.abs(w[i])))));
        };
        same(x.relu(), ref(x).relu(), "relu");
        same(x.add(y), ref(x).add(ref(y)), "add");
        same(x.mul(row), ref(x).mul(ref(row)), "mul by a broadcast row");
        same(x.sub(scalar), ref(x).sub(ref(scalar)), "sub a scalar");
        same(x.maximum(y), ref(x).maximum(ref(y)), "maximum");
        same(x.gt(y), ref(x).gt(ref(y)), "gt");
        // float32 exp and tanh approximations (about 1 ulp), as in the WASM kernels.
        same(x.tanh(), ref(x).tanh(), "tanh", 4);
        same(x.exp(), ref(x).exp(), "exp", 4);
        same(x.transpose(2, 3).relu(), ref(x).transpose(2, 3).relu(), "relu of a transposed view");
        const pool = new nn.MaxPool2d(2), pr = new nn.MaxPool2d(2).to("cpu-ref");
        same(pool(x), pr(ref(x)), "max pool");
        const xg = x.detach().requiresGrad_(), xr = ref(x).detach().requiresGrad_();
        const gy = randn([8, 3, 6, 6]);
        pool(xg).mul(gy).sum().backward();
        pr(xr).mul(ref(gy)).sum().backward();
        const gr = new nn.ReLU();
        same(xg.grad!, xr.grad!, "max pool backward");
        const a = x.detach().requiresGrad_(), ar = ref(x).detach().requiresGrad_();
        gr(a).mul(y).sum().backward();
        gr(ar).mul(ref(y)).sum().backward();
        same(a.grad!, ar.grad!, "relu backward");
      }
    } finally {
      Object.assign(splitPolicy, saved);
    }
  });

  it("runs the WASM sources' SIMD paths through the SSE, AVX2 and AVX-512 shims with the very same floats (exp, sigmoid, tanh, LSTM and GRU cells)", async () => {
    setFlagsFromString("--experimental-wasm-relaxed-simd");
    const { wasmKernels } = await import("../../../src/backend/pool/wasm.js");
    const { mapNative } = await import("../../../src/backend/pool/ew.js");
    const { cellNative } = await import("../../../src/backend/pool/fused.js");
    const w = wasmKernels()!;
    const n = 1027;
    const specials = [NaN, -0, 0, Infinity, -Infinity, 88.8, -104, 1e-30, -1e-30, 0.625, -0.625, 20, -20];
    const A = Float32Array.from({ length: n }, (_, i) => (i < specials.length ? specials[i] : rand() * 12));
    const B = Float32Array.from({ length: n }, (_, i) => (i < specials.length ? specials[(i + 3) % specials.length] : rand() * 12));
    const wasmEw = (code: number): Float32Array => {
      const f = w.reserve(3 * n * 4), base = w.base >> 2;
      f.set(A, base);
      f.set(B, base + n);
      w.exports.ew_f32(code, n, (base + 2 * n) * 4, base * 4, 1, (base + n) * 4, 1);
      return w.f32.slice(base + 2 * n, base + 3 * n);
    };
    const view = (data: Float32Array) => ({ data, shape: [n], strides: [1], offset: 0 });
    // (maximum and minimum run the reference's scalar rule natively; the test above holds them to it.)
    for (const [op, code] of [["exp", 9], ["sigmoid", 10], ["tanh", 11], ["add", 0], ["div", 3]] as const) {
      const out = new Float32Array(n);
      expect(mapNative(op, view(out), op === "add" || op === "div" ? [view(A), view(B)] : [view(A)], Infinity), op).toBe(true);
      // Bit patterns, so that NaN payloads and signed zeros count too.
      expect(Array.from(new Uint32Array(out.buffer)), op).toEqual(Array.from(new Uint32Array(wasmEw(code).buffer)));
    }
    // The cells: B rows of H, gates from both projections; columns run on 16 lanes (AVX-512), 8,
    // 4 and then one at a time (H = 24: 16 + 8; 13: 8 + 4 + 1; 20: 16 + 4; 47: 32 + 8 + 4 + 3),
    // as WASM runs 4 and then one. Gates include NaN and ±∞.
    const Bn = 5;
    for (const H of [24, 13, 20, 47]) {
      const mk = (len: number) => Float32Array.from({ length: len }, (_, i) => (i % 37 === 5 ? specials[i % specials.length] : rand() * 4));
      const gx = mk(4 * Bn * H), gh = mk(4 * Bn * H), c = mk(Bn * H), ghc = mk(2 * Bn * H);
      const f = w.reserve(40 * Bn * H * 4), o = w.base >> 2;
      f.set(gx, o);
      f.set(gh, o + 4 * Bn * H);
      f.set(c, o + 8 * Bn * H);
      f.set(ghc, o + 9 * Bn * H);
      w.exports.lstm_fwd(Bn, H, o * 4, (o + 4 * Bn * H) * 4, (o + 8 * Bn * H) * 4, (o + 11 * Bn * H) * 4);
      w.exports.lstm_bwd(Bn, H, o * 4, (o + 4 * Bn * H) * 4, (o + 8 * Bn * H) * 4, (o + 9 * Bn * H) * 4, (o + 13 * Bn * H) * 4, (o + 17 * Bn * H) * 4);
      const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
      const hc = new Float32Array(2 * Bn * H), dg = new Float32Array(4 * Bn * H), dc = new Float32Array(Bn * H);
      const d = (data: Float32Array) => ({ data, offset: 0 });
      expect(cellNative(8, Bn, H, [[d(gx), 4 * H], [d(gh), 4 * H], [d(c), H], [d(hc), 2 * H]])).toBe(true);
      expect(cellNative(9, Bn, H, [[d(gx), 4 * H], [d(gh), 4 * H], [d(c), H], [d(ghc), 2 * H], [d(dg), 4 * H], [d(dc), H]])).toBe(true);
      expect(bits(hc), `lstm forward, H=${H}`).toEqual(bits(w.f32.subarray(o + 11 * Bn * H, o + 13 * Bn * H)));
      expect(bits(dg), `lstm dgates, H=${H}`).toEqual(bits(w.f32.subarray(o + 13 * Bn * H, o + 17 * Bn * H)));
      expect(bits(dc), `lstm dc, H=${H}`).toEqual(bits(w.f32.subarray(o + 17 * Bn * H, o + 18 * Bn * H)));
      // Training's pair: the forward keeps its activations, the backward starts from them.
      const hc2 = new Float32Array(2 * Bn * H), ws = new Float32Array(5 * Bn * H), dg2 = new Float32Array(4 * Bn * H), dc2 = new Float32Array(Bn * H);
      expect(cellNative(12, Bn, H, [[d(gx), 4 * H], [d(gh), 4 * H], [d(c), H], [d(hc2), 2 * H], [d(ws), 5 * H]])).toBe(true);
      expect(cellNative(13, Bn, H, [[d(c), H], [d(ws), 5 * H], [d(ghc), 2 * H], [d(dg2), 4 * H], [d(dc2), H]])).toBe(true);
      expect(bits(hc2), `lstm forward keeping activations, H=${H}`).toEqual(bits(hc));
      expect(bits(dg2), `lstm dgates from kept activations, H=${H}`).toEqual(bits(dg));
      expect(bits(dc2), `lstm dc from kept activations, H=${H}`).toEqual(bits(dc));
      const gi = mk(3 * Bn * H), h = mk(Bn * H), g3 = gh.slice(0, 3 * Bn * H), grad = mk(Bn * H);
      f.set(gi, o);
      f.set(g3, o + 3 * Bn * H);
      f.set(h, o + 6 * Bn * H);
      f.set(grad, o + 7 * Bn * H);
      w.exports.gru_fwd(Bn, H, o * 4, (o + 3 * Bn * H) * 4, (o + 6 * Bn * H) * 4, (o + 8 * Bn * H) * 4);
      w.exports.gru_bwd(Bn, H, o * 4, (o + 3 * Bn * H) * 4, (o + 6 * Bn * H) * 4, (o + 7 * Bn * H) * 4, (o + 9 * Bn * H) * 4, (o + 12 * Bn * H) * 4, (o + 15 * Bn * H) * 4);
      const out = new Float32Array(Bn * H), dgi = new Float32Array(3 * Bn * H), dgh = new Float32Array(3 * Bn * H), dh = new Float32Array(Bn * H);
      expect(cellNative(10, Bn, H, [[d(gi), 3 * H], [d(g3), 3 * H], [d(h), H], [d(out), H]])).toBe(true);
      expect(cellNative(11, Bn, H, [[d(gi), 3 * H], [d(g3), 3 * H], [d(h), H], [d(grad), H], [d(dgi), 3 * H], [d(dgh), 3 * H], [d(dh), H]])).toBe(true);
      expect(bits(out), `gru forward, H=${H}`).toEqual(bits(w.f32.subarray(o + 8 * Bn * H, o + 9 * Bn * H)));
      expect(bits(dgi), `gru dgi, H=${H}`).toEqual(bits(w.f32.subarray(o + 9 * Bn * H, o + 12 * Bn * H)));
      expect(bits(dgh), `gru dgh, H=${H}`).toEqual(bits(w.f32.subarray(o + 12 * Bn * H, o + 15 * Bn * H)));
      expect(bits(dh), `gru dh, H=${H}`).toEqual(bits(w.f32.subarray(o + 15 * Bn * H, o + 16 * Bn * H)));
    }
  });

  it("memory().jsBytes counts large tensors, whose storage Node's own count does not see", async () => {
    const { memory } = await import("../../../src/index.js");
    const before = memory().jsBytes;
    const t = randn([1024, 512]);
    expect(memory().jsBytes - before).toBeGreaterThanOrEqual(2 * 2 ** 20);
    expect(t.shape).toEqual([1024, 512]);
  });
});
