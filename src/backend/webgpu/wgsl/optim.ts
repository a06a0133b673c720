/**
 * WGSL builder for fused optimizer updates (SGD with momentum/Nesterov/weight decay, Adam,
 * AdamW and amsgrad, Adagrad, Adadelta, RMSprop with momentum/centered), run in place on device
 * buffers so training needs no readback per step. The update rules mirror src/optim/sgd.ts,
 * adam.ts and adaptive.ts; hyperparameters are uniforms, only the state layout shapes the code.
 */
import type { OptimizerUpdate } from "../../backend.js";
import { LINEAR_GROUP, grid1d, paramsDecl, type Program } from "./common.js";

/** Fused update rules. */
export type OptimRule = OptimizerUpdate["rule"];

/** What decides the code: the rule and, for RMSprop, which optional state buffers exist. */
export interface OptimSpec {
  rule: OptimRule;
  /** RMSprop: a momentum buffer is bound (momentum > 0). */
  momentum?: boolean;
  /** RMSprop: a gradient-average buffer is bound (centered). */
  centered?: boolean;
}

/**
 * Hyperparameter order of each rule: word 3 + position in this list (words 0–2 are
 * n, param offset, grad offset). The optimizer names them (src/optim/).
 */
export const OPTIM_WORDS: Record<OptimRule, readonly string[]> = {
  sgd: ["lrSign", "wdOverSign"],
  sgdMomentum: ["lr", "sign", "wd", "mu", "damp", "nesterov", "first"],
  adam: ["sign", "l2", "decay", "b1", "b2", "stepSize", "bc2Sqrt", "eps"],
  adamAmsgrad: ["sign", "l2", "decay", "b1", "b2", "stepSize", "bc2Sqrt", "eps"],
  adagrad: ["sign", "wd", "clr", "eps", "init", "first"],
  adadelta: ["sign", "wd", "lr", "rho", "eps"],
  rmsprop: ["sign", "wd", "lr", "alpha", "eps", "mu"],
};

/** WGSL reading hyperparameter `name` of `rule`. */
function hp(rule: OptimRule, name: string): string {
  const i = OPTIM_WORDS[rule].indexOf(name);
  if (i < 0) throw new Error(`optim: rule ${rule} has no hyperparameter ${name}`);
  return `pf(${3 + i}u)`;
}

/** Number of state buffers the rule binds after the parameter and the gradient. */
export function optimStateCount(spec: OptimSpec): number {
  switch (spec.rule) {
    case "sgd": return 0;
    case "sgdMomentum": case "adagrad": return 1;
    case "adam": case "adadelta": return 2;
    case "adamAmsgrad": return 3;
    case "rmsprop": return 1 + (spec.momentum ? 1 : 0) + (spec.centered ? 1 : 0);
  }
}

function body(spec: OptimSpec): string {
  const rule = spec.rule;
  const h = (name: string): string => hp(rule, name);
  switch (rule) {
    case "sgd":
      return `let p = Pm[po]; Pm[po] = p - ${h("lrSign")} * G[go] - ${h("lrSign")} * ${h("wdOverSign")} * p;`;
    case "sgdMomentum":
      return `let p = Pm[po]; let g = ${h("sign")} * G[go] + ${h("wd")} * p;
  var b = g;
  if (${h("first")} == 0.0) { b = ${h("mu")} * S0[i] + (1.0 - ${h("damp")}) * g; }
  S0[i] = b;
  Pm[po] = p - ${h("lr")} * select(b, g + ${h("mu")} * b, ${h("nesterov")} != 0.0);`;
    case "adam":
    case "adamAmsgrad":
      return `let p = Pm[po] * ${h("decay")}; let g = ${h("sign")} * G[go] + ${h("l2")} * p;
  let m = ${h("b1")} * S0[i] + (1.0 - ${h("b1")}) * g; var v = ${h("b2")} * S1[i] + (1.0 - ${h("b2")}) * g * g;
  S0[i] = m; S1[i] = v;${rule === "adamAmsgrad" ? "\n  v = max(S2[i], v); S2[i] = v;" : ""}
  Pm[po] = p - (${h("stepSize")} * m) / (sqrt(v) / ${h("bc2Sqrt")} + ${h("eps")});`;
    case "adagrad":
      return `let p = Pm[po]; let g = ${h("sign")} * G[go] + ${h("wd")} * p;
  let s = select(S0[i], ${h("init")}, ${h("first")} != 0.0) + g * g;
  S0[i] = s;
  Pm[po] = p - (${h("clr")} * g) / (sqrt(s) + ${h("eps")});`;
    case "adadelta":
      return `let p = Pm[po]; let g = ${h("sign")} * G[go] + ${h("wd")} * p;
  let rho = ${h("rho")}; let eps = ${h("eps")};
  let v = rho * S0[i] + (1.0 - rho) * g * g; S0[i] = v;
  let u = S1[i];
  let delta = sqrt(u + eps) / sqrt(v + eps) * g;
  S1[i] = rho * u + (1.0 - rho) * delta * delta;
  Pm[po] = p - ${h("lr")} * delta;`;
    case "rmsprop": {
      const ga = spec.momentum ? "S2" : "S1";
      const lines = [
        `let p = Pm[po]; let g = ${h("sign")} * G[go] + ${h("wd")} * p;`,
        `let alpha = ${h("alpha")};`,
        `let v = alpha * S0[i] + (1.0 - alpha) * g * g; S0[i] = v;`,
      ];
      if (spec.centered) lines.push(`let ga = alpha * ${ga}[i] + (1.0 - alpha) * g; ${ga}[i] = ga;`, `let avg = sqrt(v - ga * ga) + ${h("eps")};`);
      else lines.push(`let avg = sqrt(v) + ${h("eps")};`);
      if (spec.momentum) lines.push(`let b = ${h("mu")} * S1[i] + g / avg; S1[i] = b;`, `Pm[po] = p - ${h("lr")} * b;`);
      else lines.push(`Pm[po] = p - (${h("lr")} * g) / avg;`);
      return lines.join("\n  ");
    }
  }
}

/** Words: [n, pOff, gOff, ...hyperparameters in OPTIM_WORDS order]. */
export function optimKernel(spec: OptimSpec, n: number): Program {
  const state = optimStateCount(spec);
  const decl = ["@group(0) @binding(0) var<storage, read_write> Pm: array<f32>;", "@group(0) @binding(1) var<storage, read> G: array<f32>;"];
  for (let s = 0; s < state; s++) decl.push(`@group(0) @binding(${2 + s}) var<storage, read_write> S${s}: array<f32>;`);
  const code = `${decl.join("\n")}
${paramsDecl(2 + state)}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let i = ${LINEAR_GROUP} * 64u + li;
  if (i >= pu(0u)) { return; }
  let po = pi(1u) + i32(i); let go = pi(2u) + i32(i);
  ${body(spec)}
}`;
  const cacheKey = `optim:${spec.rule}:m${spec.momentum ? 1 : 0}:c${spec.centered ? 1 : 0}`;
  return { cacheKey, code, dispatch: grid1d(Math.ceil(n / 64)) };
}
