/**
 * Looking inside a network: `showActivations(model, input)` (forward hooks collect each layer's
 * output: conv feature maps as image grids, dense activations as heatmaps) and
 * `gradientMonitor(model)` (per-layer gradient norms over training steps, as a heatmap that shows
 * vanishing or exploding gradients).
 */
import type { Module } from "../nn/module.js";
import { noGrad } from "../autograd/grad-mode.js";
import { Tensor } from "../tensor/tensor.js";
import { Figure } from "./figure.js";
import { imageGrid, type Picture } from "./image.js";
import { displayBundle, type DisplayHandle, type DisplayOptions, type MimeBundle } from "./kernel-hook.js";
import { baseLayout } from "./plot.js";
import { pngBase64 } from "./png.js";
import { escapeHtml, finiteRange, readTensor, round } from "./values.js";

/** One layer's output as captured by showActivations. */
export interface LayerActivation {
  name: string;
  type: string;
  shape: number[];
  /** The output tensor (detached). */
  output: Tensor;
}

function leaves(model: Module): [string, Module][] {
  const all = [...model.namedModules()];
  const out = all.filter(([, m]) => m.namedChildren().next().done);
  return out.length ? out : all;
}

/** Runs `model(input)` once (no autograd) and returns every leaf layer's output, in call order. */
export function collectActivations(model: Module, input: Tensor): LayerActivation[] {
  const seen: LayerActivation[] = [];
  const handles = leaves(model).map(([name, m]) =>
    m.registerForwardHook((mod, _inputs, output) => {
      if (output instanceof Tensor) seen.push({ name: name || mod.constructor.name, type: mod.constructor.name, shape: [...output.shape], output: output.detach() });
    }),
  );
  try {
    noGrad(() => model.forward(input));
  } finally {
    for (const h of handles) h.remove();
  }
  return seen;
}

/** A picture of one activation: feature maps of sample 0 as a grid, or a samples x features heatmap. */
function activationImage(a: LayerActivation, maxMaps: number): { src: string; note: string } {
  const { shape, data } = readTensor(a.output);
  if (shape.length === 4) {
    const [, c, h, w] = shape;
    const n = Math.min(c, maxMaps);
    const pics: Picture[] = Array.from({ length: n }, (_, k) => {
      const v = data.slice(k * h * w, (k + 1) * h * w);
      const [lo, hi] = finiteRange(v);
      return { channels: 1, height: h, width: w, values: v.map((x) => (hi > lo ? (x - lo) / (hi - lo) : 0.5)) };
    });
    const img = imageGrid(pics, { nrow: Math.min(8, n), colormap: "viridis", scale: Math.max(1, Math.min(8, Math.floor(48 / Math.max(h, w)))) });
    return { src: pngBase64(img), note: `sample 0, ${n} of ${c} feature maps` };
  }
  // Dense (or anything else): rows = samples (at most 32), columns = features of each sample.
  const rows = shape.length <= 1 ? 1 : Math.min(32, shape[0]);
  const cols = shape.length <= 1 ? data.length : data.length / shape[0];
  const v = data.slice(0, rows * cols);
  const [lo, hi] = finiteRange(v);
  const pic: Picture = { channels: 1, height: rows, width: cols, values: v.map((x) => (hi > lo ? (x - lo) / (hi - lo) : 0.5)) };
  const scale = Math.max(1, Math.min(12, Math.floor(480 / cols)));
  return { src: pngBase64(imageGrid([pic], { colormap: "viridis", scale, padding: 0 })), note: `${rows} samples x ${cols} features` };
}

/** The MIME bundle of showActivations: one captioned picture per layer. */
export function activationsBundle(model: Module, input: Tensor, opts: { maxMaps?: number } = {}): MimeBundle {
  const acts = collectActivations(model, input);
  if (acts.length === 0) throw new Error(`showActivations: ${model.constructor.name} produced no tensor outputs from its layers`);
  const blocks = acts.map((a) => {
    const { src, note } = activationImage(a, opts.maxMaps ?? 16);
    const [lo, hi] = finiteRange(readTensor(a.output).data);
    const head = `${escapeHtml(a.name)} · ${escapeHtml(a.type)} → [${a.shape.join(", ")}] · range ${round(lo)} … ${round(hi)} · ${note}`;
    return `<div style="margin:6px 0"><div style="font:12px monospace">${head}</div><img src="data:image/png;base64,${src}" style="image-rendering:pixelated;max-width:100%"/></div>`;
  });
  const text = acts.map((a) => `${a.name.padEnd(12)} ${a.type.padEnd(12)} [${a.shape.join(", ")}]`).join("\n");
  return { "text/html": `<div class="gradnote-activations">${blocks.join("")}</div>`, "text/plain": text };
}

/** Shows what every layer of `model` outputs for `input` (feature maps, dense heatmaps). */
export function showActivations(model: Module, input: Tensor, opts: { maxMaps?: number } & DisplayOptions = {}): DisplayHandle {
  return displayBundle(activationsBundle(model, input, opts), opts);
}

/**
 * Records the gradient norm of every parameter after each backward pass; `figure()` is a heatmap
 * (parameters x steps, log10 of the L2 norm) where vanishing gradients show as dark early layers.
 */
export class GradientMonitor {
  /** Steps recorded so far. */
  readonly steps: number[] = [];
  /** Parameter name → log10 gradient norm per recorded step (null when it had no gradient). */
  readonly norms = new Map<string, (number | null)[]>();

  constructor(private readonly model: Module) {}

  /** Call after `loss.backward()` (before `zeroGrad()`): stores each parameter's gradient norm. */
  record(step = this.steps.length): void {
    const params = [...this.model.namedParameters()];
    if (params.length === 0) throw new Error(`gradientMonitor: ${this.model.constructor.name} has no parameters`);
    for (const [name, p] of params) {
      let norm: number | null = null;
      if (p.grad) {
        const g = readTensor(p.grad).data;
        let s = 0;
        for (let i = 0; i < g.length; i++) s += g[i] * g[i];
        norm = round(Math.log10(Math.sqrt(s) + 1e-30));
      }
      if (!this.norms.has(name)) this.norms.set(name, new Array(this.steps.length).fill(null));
      this.norms.get(name)!.push(norm);
    }
    this.steps.push(step);
  }

  /** The heatmap of log10 gradient norms (rows: parameters, first layer on top). */
  figure(): Figure {
    if (this.steps.length === 0) throw new Error("gradientMonitor: nothing recorded yet; call record() after backward()");
    const names = [...this.norms.keys()];
    return new Figure(
      [{ type: "heatmap", x: this.steps, y: names, z: names.map((n) => this.norms.get(n)!), colorscale: "Viridis", colorbar: { title: { text: "log10 ‖grad‖" } } }],
      baseLayout({ title: "Gradient norm per layer", xlabel: "step", height: Math.max(260, 60 + 26 * names.length) }, { yaxis: { autorange: "reversed" }, margin: { l: 110, r: 30, t: 50, b: 50 } }),
    );
  }

  /** Displays the heatmap. */
  show(opts?: DisplayOptions): DisplayHandle {
    return this.figure().show(opts);
  }

  [Symbol.for("Jupyter.display")](): MimeBundle {
    return this.figure().bundle();
  }
}

/** Starts recording per-layer gradient norms of `model`; call `.record()` after each backward. */
export function gradientMonitor(model: Module): GradientMonitor {
  return new GradientMonitor(model);
}
