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
import { noGrad } from "../autograd/grad-mode.js";
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
  /** Parameters counted on this row (0 when the layer was already counted on an earlier row). */
  params: number;
  /** The earlier row's name when this row is the same layer again (shared or called twice). */
  sameAs?: string;
}

/** A model summary: one row per leaf layer (output shapes when `input` is given) and totals. */
export class ModelSummary {
  constructor(readonly rows: SummaryRow[], readonly total: number, readonly trainable: number, readonly modelName: string) {}

  toString(): string {
    const shape = this.rows.some((r) => r.outputShape);
    const head = ["Layer", "Type", ...(shape ? ["Output shape"] : []), "Params"];
    const lines = this.rows.map((r) => [r.name, typeText(r), ...(shape ? [r.outputShape ? `[${r.outputShape.join(", ")}]` : ""] : []), paramsText(r)]);
    const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
    const fmt = (l: string[]) => l.map((s, i) => (i === l.length - 1 ? s.padStart(widths[i]) : s.padEnd(widths[i]))).join("  ");
    const rule = "─".repeat(widths.reduce((a, b) => a + b + 2, -2));
    return [fmt(head), rule, ...lines.map(fmt), rule, `Total params: ${this.total.toLocaleString("en-US")}`, `Trainable params: ${this.trainable.toLocaleString("en-US")}`].join("\n");
  }

  toHtml(): string {
    const shape = this.rows.some((r) => r.outputShape);
    const th = (s: string) => `<th style="text-align:left">${s}</th>`;
    const rows = this.rows.map((r) =>
      `<tr><td>${escapeHtml(r.name)}</td><td>${escapeHtml(typeText(r))}</td>${shape ? `<td>${r.outputShape ? `[${r.outputShape.join(", ")}]` : ""}</td>` : ""}<td style="text-align:right">${escapeHtml(paramsText(r))}</td></tr>`,
    );
    return `<table class="gradnote-summary" ${TABLE_STYLE}><caption style="caption-side:top;text-align:left;font:12px monospace">${escapeHtml(this.modelName)}</caption>` +
      `<tr>${th("Layer")}${th("Type")}${shape ? th("Output shape") : ""}${th("Params")}</tr>${rows.join("")}` +
      `<tr><td colspan="${shape ? 3 : 2}"><b>Total</b> (trainable ${this.trainable.toLocaleString("en-US")})</td><td style="text-align:right"><b>${this.total.toLocaleString("en-US")}</b></td></tr></table>`;
  }

  [Symbol.for("Jupyter.display")](): MimeBundle {
    return { "text/html": this.toHtml(), "text/plain": this.toString() };
  }
}

function typeText(r: SummaryRow): string {
  return r.sameAs === undefined ? r.type : r.sameAs === r.name ? `${r.type} (again)` : `${r.type} (= ${r.sameAs})`;
}

function paramsText(r: SummaryRow): string {
  return r.sameAs === undefined ? r.params.toLocaleString("en-US") : "(shared)";
}

/**
 * Leaf layers in registration order (depth first) with the name of each place, so a layer
 * shared by two fields appears twice.
 */
function leafPlaces(model: Module): [string, Module][] {
  const out: [string, Module][] = [];
  const walk = (m: Module, prefix: string, ancestors: Set<Module>) => {
    const kids = [...m.namedChildren()];
    if (kids.length === 0) out.push([prefix || "(model)", m]);
    ancestors.add(m);
    for (const [k, c] of kids) if (!ancestors.has(c)) walk(c, prefix ? `${prefix}.${k}` : k, ancestors);
    ancestors.delete(m);
  };
  walk(model, "", new Set());
  return out;
}

/** Each call of a leaf layer during `model(input)`, in call order, with its output shape. */
function leafCalls(model: Module, layers: Module[], input: Tensor): { m: Module; shape?: number[] }[] {
  const calls: { m: Module; shape?: number[] }[] = [];
  const handles = layers.map((m) => m.registerForwardHook((_mod, _inputs, out) => {
    calls.push({ m, ...(out instanceof Tensor ? { shape: [...out.shape] } : {}) });
  }));
  try {
    noGrad(() => model.forward(input));
  } finally {
    for (const h of handles) h.remove();
  }
  return calls;
}

/**
 * Summarises `model` layer by layer. A layer registered under two names, or called twice in
 * forward, appears at each place (its parameters counted once). With an `input`, runs it once
 * (no autograd): rows follow the calls and show output shapes; layers never called come last.
 */
export function summary(model: Module, input?: Tensor): ModelSummary {
  const count = (m: Module) => [...m.namedParameters()].filter(([n]) => !n.includes(".")).reduce((s, [, p]) => s + p.numel(), 0);
  const places = leafPlaces(model);
  const paths = new Map<Module, string[]>();
  for (const [n, m] of places) paths.set(m, [...(paths.get(m) ?? []), n]);
  const counted = new Map<Module, string>();
  const row = (m: Module, name: string, outputShape?: number[]): SummaryRow => {
    const first = counted.get(m);
    if (first === undefined) counted.set(m, name);
    return { name, type: m.constructor.name, params: first === undefined ? count(m) : 0, ...(outputShape ? { outputShape } : {}), ...(first !== undefined ? { sameAs: first } : {}) };
  };
  const rows: SummaryRow[] = [];
  if (input) {
    const uses = new Map<Module, number>();
    for (const c of leafCalls(model, [...paths.keys()], input)) {
      const names = paths.get(c.m)!;
      const k = uses.get(c.m) ?? 0;
      uses.set(c.m, k + 1);
      rows.push(row(c.m, names[Math.min(k, names.length - 1)], c.shape));
    }
    for (const [m, names] of paths) for (const n of names.slice(uses.get(m) ?? 0)) rows.push(row(m, n));
  } else {
    for (const [n, m] of places) rows.push(row(m, n));
  }
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
