/**
 * WGSL builders for the fused LSTM and GRU cells (the Backend's lstmCell / gruCell and their
 * backwards): one thread
 * per (row, hidden unit) reads the four pre-activation gates from gx + gh, so a time step is one
 * dispatch forward and one backward instead of a dozen elementwise ones. Same formulas as the
 * pool's wasm/fused.c and the composed ops in src/ops/fused.ts; operands are dense with offsets.
 */
import { LINEAR_GROUP, grid1d, paramsDecl, type Program } from "./common.js";

// sigmoid and tanh written to stay finite for large |x| (exp overflows to +inf in f32).
const ACTIVATIONS = `fn sig(x: f32) -> f32 { return select(exp(x) / (1.0 + exp(x)), 1.0 / (1.0 + exp(-x)), x >= 0.0); }
fn th(x: f32) -> f32 { let t = exp(-2.0 * abs(x)); return sign(x) * (1.0 - t) / (1.0 + t); }`;

/** Loads the four activated gates of (row b, unit j); words 0–1 are [B·H, H], 2–4 offsets of gx, gh, c. */
const GATES = `let H = pu(1u); let b = i / H; let j = i % H;
  let gxo = pi(2u) + i32(b * 4u * H + j); let gho = pi(3u) + i32(b * 4u * H + j);
  let ig = sig(GX[gxo] + GH[gho]);
  let fg = sig(GX[gxo + i32(H)] + GH[gho + i32(H)]);
  let gg = th(GX[gxo + 2 * i32(H)] + GH[gho + 2 * i32(H)]);
  let og = sig(GX[gxo + 3 * i32(H)] + GH[gho + 3 * i32(H)]);
  let cp = C[pi(4u) + i32(i)];`;

const HEAD = `@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let i = ${LINEAR_GROUP} * 64u + li;
  if (i >= pu(0u)) { return; }`;

/** hc [B, 2H] = (h', c'): bindings hc, gx, gh, c, params. */
export function lstmCellKernel(count: number): Program {
  const code = `@group(0) @binding(0) var<storage, read_write> HC: array<f32>;
@group(0) @binding(1) var<storage, read> GX: array<f32>;
@group(0) @binding(2) var<storage, read> GH: array<f32>;
@group(0) @binding(3) var<storage, read> C: array<f32>;
${paramsDecl(4)}
${ACTIVATIONS}
${HEAD}
  ${GATES}
  let cn = fg * cp + ig * gg;
  let row = b * 2u * H;
  HC[row + j] = og * th(cn);
  HC[row + H + j] = cn;
}`;
  return { cacheKey: "lstmCell", code, dispatch: grid1d(Math.ceil(count / 64)) };
}

/** dgates [B, 4H] and dc [B, H] from grad [B, 2H]: bindings dgates, dc, gx, gh, c, grad, params (word 5: grad offset). */
export function lstmCellBackwardKernel(count: number): Program {
  const code = `@group(0) @binding(0) var<storage, read_write> DG: array<f32>;
@group(0) @binding(1) var<storage, read_write> DC: array<f32>;
@group(0) @binding(2) var<storage, read> GX: array<f32>;
@group(0) @binding(3) var<storage, read> GH: array<f32>;
@group(0) @binding(4) var<storage, read> C: array<f32>;
@group(0) @binding(5) var<storage, read> GR: array<f32>;
${paramsDecl(6)}
${ACTIVATIONS}
${HEAD}
  ${GATES}
  let t = th(fg * cp + ig * gg);
  let go = pi(5u) + i32(b * 2u * H + j);
  let dh = GR[go];
  let dct = GR[go + i32(H)] + dh * og * (1.0 - t * t);
  let d = b * 4u * H + j;
  DG[d] = dct * gg * ig * (1.0 - ig);
  DG[d + H] = dct * cp * fg * (1.0 - fg);
  DG[d + 2u * H] = dct * ig * (1.0 - gg * gg);
  DG[d + 3u * H] = dh * t * og * (1.0 - og);
  DC[i] = dct * fg;
}`;
  return { cacheKey: "lstmCellBackward", code, dispatch: grid1d(Math.ceil(count / 64)) };
}

/** Loads r, z, n of (row b, unit j) for the GRU; words 0–1 are [B·H, H], 2–4 offsets of gi, gh, h. */
const GRU_GATES = `let H = pu(1u); let b = i / H; let j = i % H;
  let gio = pi(2u) + i32(b * 3u * H + j); let gho = pi(3u) + i32(b * 3u * H + j);
  let r = sig(GI[gio] + GH[gho]);
  let z = sig(GI[gio + i32(H)] + GH[gho + i32(H)]);
  let hn = GH[gho + 2 * i32(H)];
  let n = th(GI[gio + 2 * i32(H)] + r * hn);
  let hp = HP[pi(4u) + i32(i)];`;

/** out [B, H] = h': bindings out, gi, gh, h, params. */
export function gruCellKernel(count: number): Program {
  const code = `@group(0) @binding(0) var<storage, read_write> OUT: array<f32>;
@group(0) @binding(1) var<storage, read> GI: array<f32>;
@group(0) @binding(2) var<storage, read> GH: array<f32>;
@group(0) @binding(3) var<storage, read> HP: array<f32>;
${paramsDecl(4)}
${ACTIVATIONS}
${HEAD}
  ${GRU_GATES}
  OUT[i] = n + z * (hp - n);
}`;
  return { cacheKey: "gruCell", code, dispatch: grid1d(Math.ceil(count / 64)) };
}

/** dgi, dgh [B, 3H] and dh [B, H] from grad [B, H]: bindings dgi, dgh, dh, gi, gh, h, grad, params (word 5: grad offset). */
export function gruCellBackwardKernel(count: number): Program {
  const code = `@group(0) @binding(0) var<storage, read_write> DI: array<f32>;
@group(0) @binding(1) var<storage, read_write> DS: array<f32>;
@group(0) @binding(2) var<storage, read_write> DH: array<f32>;
@group(0) @binding(3) var<storage, read> GI: array<f32>;
@group(0) @binding(4) var<storage, read> GH: array<f32>;
@group(0) @binding(5) var<storage, read> HP: array<f32>;
@group(0) @binding(6) var<storage, read> GR: array<f32>;
${paramsDecl(7)}
${ACTIVATIONS}
${HEAD}
  ${GRU_GATES}
  let g = GR[pi(5u) + i32(i)];
  let dn = g * (1.0 - z) * (1.0 - n * n);
  let dz = g * (hp - n) * z * (1.0 - z);
  let dr = dn * hn * r * (1.0 - r);
  let d = b * 3u * H + j;
  DI[d] = dr; DS[d] = dr;
  DI[d + H] = dz; DS[d + H] = dz;
  DI[d + 2u * H] = dn; DS[d + 2u * H] = dn * r;
  DH[i] = g * z;
}`;
  return { cacheKey: "gruCellBackward", code, dispatch: grid1d(Math.ceil(count / 64)) };
}
