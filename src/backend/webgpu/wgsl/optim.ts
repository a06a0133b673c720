/**
 * WGSL builder for fused optimizer updates (SGD with momentum/Nesterov/weight decay, Adam and
 * AdamW), run in place on device buffers so training needs no readback per step.
 * The update rules mirror src/optim/sgd.ts and adam.ts; hyperparameters are uniforms.
 */
import { LINEAR_GROUP, grid1d, paramsDecl, type Program } from "./common.js";

/** Fused update rules. */
export type OptimRule = "sgd" | "sgdMomentum" | "adam";

/**
 * Words: [n, pOff, gOff, ...floats]. sgd: lr·sign at 3, wd at 4. sgdMomentum: lr 3, sign 4,
 * wd 5, mu 6, damp 7, nesterov 8, first 9. adam: sign 3, l2 4, decay 5, b1 6, b2 7,
 * stepSize 8, bc2Sqrt 9, eps 10.
 */
export function optimKernel(rule: OptimRule, n: number): Program {
  const state = rule === "sgd" ? 0 : rule === "sgdMomentum" ? 1 : 2;
  const decl = ["@group(0) @binding(0) var<storage, read_write> Pm: array<f32>;", "@group(0) @binding(1) var<storage, read> G: array<f32>;"];
  for (let s = 0; s < state; s++) decl.push(`@group(0) @binding(${2 + s}) var<storage, read_write> S${s}: array<f32>;`);
  const body: Record<OptimRule, string> = {
    sgd: `let p = Pm[po]; Pm[po] = p - pf(3u) * G[go] - pf(3u) * pf(4u) * p;`,
    sgdMomentum: `let p = Pm[po]; let g = pf(4u) * G[go] + pf(5u) * p;
  var b = g;
  if (pf(9u) == 0.0) { b = pf(6u) * S0[i] + (1.0 - pf(7u)) * g; }
  S0[i] = b;
  Pm[po] = p - pf(3u) * select(b, g + pf(6u) * b, pf(8u) != 0.0);`,
    adam: `let p = Pm[po] * pf(5u); let g = pf(3u) * G[go] + pf(4u) * p;
  let m = pf(6u) * S0[i] + (1.0 - pf(6u)) * g; let v = pf(7u) * S1[i] + (1.0 - pf(7u)) * g * g;
  S0[i] = m; S1[i] = v;
  Pm[po] = p - (pf(8u) * m) / (sqrt(v) / pf(9u) + pf(10u));`,
  };
  const code = `${decl.join("\n")}
${paramsDecl(2 + state)}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let i = ${LINEAR_GROUP} * 64u + li;
  if (i >= pu(0u)) { return; }
  let po = pi(1u) + i32(i); let go = pi(2u) + i32(i);
  ${body[rule]}
}`;
  return { cacheKey: `optim:${rule}`, code, dispatch: grid1d(Math.ceil(n / 64)) };
}
