/**
 * WGSL builders for the window family: im2col / col2im (convolution runs as a matmul over the
 * unfolded input), max, average and adaptive average pooling with their backward passes. Inputs are dense
 * [n, c, h, w] (the backend copies views first); adjoint passes scatter with float atomics.
 * Word layout shared by all: [count, N·C, H, W, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, xOff, iOff].
 */
import { LINEAR_GROUP, atomicAddF32, grid1d, paramsDecl, type Program } from "./common.js";

/** Kernels of this family. */
export type WindowKind = "im2col" | "col2im" | "maxPool" | "maxPoolBackward" | "avgPool" | "avgPoolBackward" | "adaptiveAvgPool" | "adaptiveAvgPoolBackward";

/** Adaptive pooling: output cell y covers rows [floor(y·H/oh), ceil((y+1)·H/oh)), likewise columns. */
const ADAPTIVE_CELL = `
  let x = t % ow; let y = (t / ow) % oh; let p = i32(t / (ow * oh));
  let uH = u32(H); let uW = u32(W);
  let y0 = i32((y * uH) / oh); let y1 = i32(((y + 1u) * uH + oh - 1u) / oh);
  let x0 = i32((x * uW) / ow); let x1 = i32(((x + 1u) * uW + ow - 1u) / ow);
  let area = f32((y1 - y0) * (x1 - x0));`;

const GEOMETRY = `
  let NC = pu(1u); let H = i32(pu(2u)); let W = i32(pu(3u));
  let kh = pu(4u); let kw = pu(5u); let sh = i32(pu(6u)); let sw = i32(pu(7u));
  let ph = i32(pu(8u)); let pw = i32(pu(9u)); let dh = i32(pu(10u)); let dw = i32(pu(11u));
  let oh = pu(12u); let ow = pu(13u); let xOff = pi(14u); let iOff = pi(15u);`;

const BODY: Record<WindowKind, { out: string; ins: string[]; body: string; atomic?: boolean }> = {
  // t over [N, C, kh, kw, oh, ow]; C is folded into NC (N·C planes of kh·kw rows).
  im2col: {
    out: "f32", ins: ["f32"], body: `
  let x = t % ow; let y = (t / ow) % oh; let j = (t / (ow * oh)) % kw; let i = (t / (ow * oh * kw)) % kh; let p = t / (ow * oh * kw * kh);
  let iy = i32(y) * sh - ph + i32(i) * dh; let ix = i32(x) * sw - pw + i32(j) * dw;
  var v: f32 = 0.0;
  if (iy >= 0 && iy < H && ix >= 0 && ix < W) { v = I1[xOff + (i32(p) * H + iy) * W + ix]; }
  O[t] = v;`,
  },
  col2im: {
    out: "f32", ins: ["f32"], atomic: true, body: `
  let x = t % ow; let y = (t / ow) % oh; let j = (t / (ow * oh)) % kw; let i = (t / (ow * oh * kw)) % kh; let p = t / (ow * oh * kw * kh);
  let iy = i32(y) * sh - ph + i32(i) * dh; let ix = i32(x) * sw - pw + i32(j) * dw;
  if (iy >= 0 && iy < H && ix >= 0 && ix < W) { atomicAddF((i32(p) * H + iy) * W + ix, I1[xOff + i32(t)]); }`,
  },
  // t over [N·C, oh, ow]; the index output is the flat h·w position of the maximum.
  maxPool: {
    out: "f32", ins: ["i32"], body: `
  let x = t % ow; let y = (t / ow) % oh; let p = i32(t / (ow * oh));
  var best: f32 = (-infF()); var at: i32 = -1;
  for (var i: u32 = 0u; i < kh; i = i + 1u) {
    let iy = i32(y) * sh - ph + i32(i) * dh;
    if (iy < 0 || iy >= H) { continue; }
    for (var j: u32 = 0u; j < kw; j = j + 1u) {
      let ix = i32(x) * sw - pw + i32(j) * dw;
      if (ix < 0 || ix >= W) { continue; }
      let v = X[xOff + (p * H + iy) * W + ix];
      // NaN wins, as in PyTorch (bit test: SwiftShader folds v != v to false).
      if (v > best || at < 0 || (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u) { best = v; at = iy * W + ix; }
    }
  }
  O[t] = best; I1[t] = at;`,
  },
  maxPoolBackward: {
    out: "f32", ins: ["f32", "i32"], atomic: true, body: `
  let p = i32(t / (ow * oh));
  atomicAddF(p * H * W + I2[iOff + i32(t)], I1[xOff + i32(t)]);`,
  },
  avgPool: {
    out: "f32", ins: ["f32"], body: `
  let x = t % ow; let y = (t / ow) % oh; let p = i32(t / (ow * oh));
  var s: f32 = 0.0;
  for (var i: u32 = 0u; i < kh; i = i + 1u) {
    let iy = i32(y) * sh - ph + i32(i) * dh;
    if (iy < 0 || iy >= H) { continue; }
    for (var j: u32 = 0u; j < kw; j = j + 1u) {
      let ix = i32(x) * sw - pw + i32(j) * dw;
      if (ix >= 0 && ix < W) { s = s + I1[xOff + (p * H + iy) * W + ix]; }
    }
  }
  O[t] = s / f32(kh * kw);`,
  },
  avgPoolBackward: {
    out: "f32", ins: ["f32"], atomic: true, body: `
  let x = t % ow; let y = (t / ow) % oh; let p = i32(t / (ow * oh));
  let g = I1[xOff + i32(t)] / f32(kh * kw);
  for (var i: u32 = 0u; i < kh; i = i + 1u) {
    let iy = i32(y) * sh - ph + i32(i) * dh;
    if (iy < 0 || iy >= H) { continue; }
    for (var j: u32 = 0u; j < kw; j = j + 1u) {
      let ix = i32(x) * sw - pw + i32(j) * dw;
      if (ix >= 0 && ix < W) { atomicAddF((p * H + iy) * W + ix, g); }
    }
  }`,
  },
  // t over [N·C, oh, ow], like avgPool; the window words (kh … dw) are unused.
  adaptiveAvgPool: {
    out: "f32", ins: ["f32"], body: `${ADAPTIVE_CELL}
  var s: f32 = 0.0;
  for (var iy = y0; iy < y1; iy = iy + 1) {
    for (var ix = x0; ix < x1; ix = ix + 1) { s = s + I1[xOff + (p * H + iy) * W + ix]; }
  }
  O[t] = s / area;`,
  },
  adaptiveAvgPoolBackward: {
    out: "f32", ins: ["f32"], atomic: true, body: `${ADAPTIVE_CELL}
  let g = I1[xOff + i32(t)] / area;
  for (var iy = y0; iy < y1; iy = iy + 1) {
    for (var ix = x0; ix < x1; ix = ix + 1) { atomicAddF((p * H + iy) * W + ix, g); }
  }`,
  },
};

/** Builds one window kernel over `count` threads. */
export function windowKernel(kind: WindowKind, count: number): Program {
  const b = BODY[kind];
  const decl: string[] = [];
  if (kind === "maxPool") {
    // maxPool writes two outputs: values (binding 0) and indices (binding 1); reads X (binding 2).
    decl.push("@group(0) @binding(0) var<storage, read_write> O: array<f32>;");
    decl.push("@group(0) @binding(1) var<storage, read_write> I1: array<i32>;");
    decl.push("@group(0) @binding(2) var<storage, read> X: array<f32>;");
  } else {
    decl.push(`@group(0) @binding(0) var<storage, read_write> O: array<${b.atomic ? "atomic<u32>" : b.out}>;`);
    b.ins.forEach((t, i) => decl.push(`@group(0) @binding(${i + 1}) var<storage, read> I${i + 1}: array<${t}>;`));
  }
  const nBind = kind === "maxPool" ? 3 : 1 + b.ins.length;
  const code = `${decl.join("\n")}
${paramsDecl(nBind)}
${b.atomic ? atomicAddF32("O") : ""}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let t = ${LINEAR_GROUP} * 64u + li;
  if (t >= pu(0u)) { return; }
  ${GEOMETRY}
  ${b.body}
}`;
  return { cacheKey: `win:${kind}`, code, dispatch: grid1d(Math.ceil(count / 64)) };
}
