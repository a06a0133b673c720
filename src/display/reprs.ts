/**
 * Rich reprs added to runtime classes from here, so tensor/, nn/ and optim/ keep only their text
 * forms: an HTML table for small tensors, a layer summary table for modules (with output shapes
 * when `summary(model, input)` is given an input), and a parameter-group table for optimizers.
 * `installReprs()` wraps each class's `[Symbol.for("Jupyter.display")]` once; the text stays theirs.
 */
import type { Module } from "../nn/module.js";
import { Module as ModuleClass } from "../nn/module.js";
import { Optimizer } from "../optim/optimizer.js";
import { Tensor } from "../tensor/tensor.js";
import { collectActivations } from "./activations.js";
import type { MimeBundle } from "./kernel-hook.js";
import { escapeHtml, readTensor } from "./values.js";

const DISPLAY = Symbol.for("Jupyter.display");
const EXTENDED = Symbol("gradnote.display.extended");
type DisplayFn = ((this: unknown) => MimeBundle) & { [EXTENDED]?: true };

const TABLE_STYLE = `style="border-collapse:collapse;font:12px monospace" border="1" cellpadding="3"`;

/** Adds MIME types to what a class's display method returns (idempotent). */
function extendDisplay(proto: object, extra: (self: never, bundle: MimeBundle) => MimeBundle): void {
  const own = proto as Record<symbol, DisplayFn | undefined>;
  const original = own[DISPLAY];
  if (original?.[EXTENDED]) return;
  const wrapped: DisplayFn = function (this: unknown) {
    const base = original ? original.call(this) ?? {} : {};
    return { ...base, ...extra(this as never, base) };
  };
  wrapped[EXTENDED] = true;
  Object.defineProperty(proto, DISPLAY, { value: wrapped, configurable: true, writable: true });
}

function cell(v: number, dtype: string): string {
  if (dtype === "bool") return v ? "True" : "False";
  if (dtype === "int32" || !Number.isFinite(v)) return String(v);
  return Number.isInteger(v) ? `${v}.` : Math.abs(v) >= 1e-4 && Math.abs(v) < 1e5 ? v.toFixed(4) : v.toExponential(4);
}

/** HTML table of a small 1-D or 2-D tensor (at most 20 x 20), or undefined for others. */
export function tensorHtml(t: Tensor): string | undefined {
  if (t.isDisposed || t.ndim < 1 || t.ndim > 2) return undefined;
  const [rows, cols] = t.ndim === 1 ? [1, t.shape[0]] : [t.shape[0], t.shape[1]];
  if (rows > 20 || cols > 20 || rows * cols === 0) return undefined;
  const { data } = readTensor(t);
  const flags = [t.requiresGrad ? "requires_grad" : "", t.gradFn ? `grad_fn=${t.gradFn.name}` : ""].filter(Boolean).join(" · ");
  const caption = `tensor · shape [${t.shape.join(", ")}] · ${t.dtype}${t.device !== "cpu" ? ` · ${t.device}` : ""}${flags ? ` · ${flags}` : ""}`;
  const body = Array.from({ length: rows }, (_, r) =>
    `<tr>${Array.from({ length: cols }, (_, c) => `<td style="text-align:right">${cell(data[r * cols + c], t.dtype)}</td>`).join("")}</tr>`,
  ).join("");
  return `<table class="gradnote-tensor" ${TABLE_STYLE}><caption style="caption-side:top;text-align:left;font:12px monospace">${escapeHtml(caption)}</caption>${body}</table>`;
}

/** One row of a module summary. */
export interface SummaryRow {
  name: string;
  type: string;
  /** Output shape when the summary ran an input through the model. */
  outputShape?: number[];
  params: number;
}

/** A model summary: one row per leaf layer (output shapes when `input` is given) and totals. */
export class ModelSummary {
  constructor(readonly rows: SummaryRow[], readonly total: number, readonly trainable: number, readonly modelName: string) {}

  toString(): string {
    const shape = this.rows.some((r) => r.outputShape);
    const head = ["Layer", "Type", ...(shape ? ["Output shape"] : []), "Params"];
    const lines = this.rows.map((r) => [r.name, r.type, ...(shape ? [r.outputShape ? `[${r.outputShape.join(", ")}]` : ""] : []), r.params.toLocaleString("en-US")]);
    const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
    const fmt = (l: string[]) => l.map((s, i) => (i === l.length - 1 ? s.padStart(widths[i]) : s.padEnd(widths[i]))).join("  ");
    const rule = "─".repeat(widths.reduce((a, b) => a + b + 2, -2));
    return [fmt(head), rule, ...lines.map(fmt), rule, `Total params: ${this.total.toLocaleString("en-US")}`, `Trainable params: ${this.trainable.toLocaleString("en-US")}`].join("\n");
  }

  toHtml(): string {
    const shape = this.rows.some((r) => r.outputShape);
    const th = (s: string) => `<th style="text-align:left">${s}</th>`;
    const rows = this.rows.map((r) =>
      `<tr><td>${escapeHtml(r.name)}</td><td>${escapeHtml(r.type)}</td>${shape ? `<td>${r.outputShape ? `[${r.outputShape.join(", ")}]` : ""}</td>` : ""}<td style="text-align:right">${r.params.toLocaleString("en-US")}</td></tr>`,
    );
    return `<table class="gradnote-summary" ${TABLE_STYLE}><caption style="caption-side:top;text-align:left;font:12px monospace">${escapeHtml(this.modelName)}</caption>` +
      `<tr>${th("Layer")}${th("Type")}${shape ? th("Output shape") : ""}${th("Params")}</tr>${rows.join("")}` +
      `<tr><td colspan="${shape ? 3 : 2}"><b>Total</b> (trainable ${this.trainable.toLocaleString("en-US")})</td><td style="text-align:right"><b>${this.total.toLocaleString("en-US")}</b></td></tr></table>`;
  }

  [Symbol.for("Jupyter.display")](): MimeBundle {
    return { "text/html": this.toHtml(), "text/plain": this.toString() };
  }
}

/** Summarises `model` layer by layer; with an `input`, runs it once (no autograd) to record output shapes. */
export function summary(model: Module, input?: Tensor): ModelSummary {
  const count = (m: Module) => [...m.namedParameters()].filter(([n]) => !n.includes(".")).reduce((s, [, p]) => s + p.numel(), 0);
  const all = [...model.namedModules()].filter(([name]) => name !== "");
  const leaves = all.filter(([, m]) => m.namedChildren().next().done);
  const shapes = new Map<string, number[]>();
  if (input) for (const a of collectActivations(model, input)) shapes.set(a.name, a.shape);
  const rows: SummaryRow[] = (leaves.length ? leaves : [["(model)", model] as [string, Module]]).map(([name, m]) => ({
    name, type: m.constructor.name, params: count(m), ...(shapes.has(name) ? { outputShape: shapes.get(name) } : {}),
  }));
  return new ModelSummary(rows, model.numParameters(), model.numParameters(true), model.constructor.name);
}

/** `SGD (lr: 0.1, momentum: 0.9 | 2 params in 1 group)` with an HTML table of each group's options. */
export function optimizerBundle(opt: Optimizer): MimeBundle {
  const groups = opt.paramGroups.map((g) => Object.entries(g).filter(([k]) => k !== "params"));
  const keys = [...new Set(groups.flatMap((g) => g.map(([k]) => k)))];
  const text = [`${opt.constructor.name} (`, ...opt.paramGroups.flatMap((g, i) => [`Parameter Group ${i}`, ...groups[i].map(([k, v]) => `    ${k}: ${String(v)}`)]), ")"].join("\n");
  const html = `<table class="gradnote-optimizer" ${TABLE_STYLE}><caption style="caption-side:top;text-align:left;font:12px monospace">${escapeHtml(opt.constructor.name)}</caption>` +
    `<tr><th>group</th><th>params</th>${keys.map((k) => `<th>${escapeHtml(k)}</th>`).join("")}</tr>` +
    opt.paramGroups.map((g, i) => `<tr><td>${i}</td><td>${g.params.reduce((s, p) => s + p.numel(), 0).toLocaleString("en-US")}</td>${keys.map((k) => `<td>${escapeHtml(String(g[k] ?? ""))}</td>`).join("")}</tr>`).join("") +
    `</table>`;
  return { "text/html": html, "text/plain": text };
}

let installed = false;

/** Adds the HTML reprs to Tensor, Module and Optimizer (called once when the runtime loads). */
export function installReprs(): void {
  if (installed) return;
  installed = true;
  extendDisplay(Tensor.prototype, (t: Tensor) => {
    const html = tensorHtml(t);
    return html ? { "text/html": html } : {};
  });
  extendDisplay(ModuleClass.prototype, (m: Module) => ({ "text/html": summary(m).toHtml() }));
  extendDisplay(Optimizer.prototype, (o: Optimizer) => optimizerBundle(o));
}
