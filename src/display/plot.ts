/**
 * `plot.*`: small typed builders for the usual figures (line, scatter, bar, histogram, heatmap,
 * surface, contour). Each returns a Figure, which displays itself when it is a cell's value or
 * is passed to display(). Teaching plots (decision boundary, confusion matrix) are in teaching.ts.
 */
import { plotlyScale, type ColorScale } from "./color.js";
import { Figure, type Layout, type Trace } from "./figure.js";
import { finiteRange, round, toMatrix, toNumbers, type Matrix, type Numbers } from "./values.js";

/** Options every plot takes. */
export interface PlotOptions {
  title?: string;
  xlabel?: string;
  ylabel?: string;
  /** Pixels; the interactive chart fills the output's width unless `width` is set. */
  width?: number;
  height?: number;
  /** Logarithmic y axis (losses, learning rates). */
  logy?: boolean;
  logx?: boolean;
}

/** Builds a Plotly layout from the common options. */
export function baseLayout(opts: PlotOptions, extra: Layout = {}): Layout {
  const layout: Layout = { margin: { l: 60, r: 30, t: opts.title ? 50 : 30, b: 50 }, height: opts.height ?? 420, ...extra };
  if (opts.width) layout.width = opts.width;
  if (opts.title) layout.title = { text: opts.title };
  layout.xaxis = { ...(opts.xlabel ? { title: { text: opts.xlabel } } : {}), ...(opts.logx ? { type: "log" } : {}), ...((extra.xaxis as object) ?? {}) };
  layout.yaxis = { ...(opts.ylabel ? { title: { text: opts.ylabel } } : {}), ...(opts.logy ? { type: "log" } : {}), ...((extra.yaxis as object) ?? {}) };
  return layout;
}

function isSeriesRecord(y: unknown): y is Record<string, Numbers> {
  return typeof y === "object" && y !== null && !Array.isArray(y) && !ArrayBuffer.isView(y) && !("shape" in y);
}

/**
 * Line chart: `plot.line([3, 2, 1.5])`, `plot.line(lossTensor, { x: steps })`, or several named
 * series `plot.line({ train: trainLoss, val: valLoss }, { ylabel: "loss" })`.
 */
function line(y: Numbers | Record<string, Numbers>, opts: PlotOptions & { x?: Numbers; markers?: boolean } = {}): Figure {
  const series: [string | undefined, Numbers][] = isSeriesRecord(y) ? Object.entries(y) : [[undefined, y]];
  const x = opts.x === undefined ? undefined : toNumbers(opts.x, "plot.line x");
  const traces = series.map(([name, ys]): Trace => {
    const yv = toNumbers(ys, `plot.line ${name ?? "y"}`);
    if (x && x.length !== yv.length) throw new Error(`plot.line: x has ${x.length} values but ${name ?? "y"} has ${yv.length}`);
    return { type: "scatter", mode: opts.markers ? "lines+markers" : "lines", ...(name ? { name } : {}), x: x ?? yv.map((_, i) => i), y: yv };
  });
  return new Figure(traces, baseLayout(opts));
}

/** Scatter plot; with `labels` (one class per point) each class gets its own colour and legend entry. */
function scatter(x: Numbers, y: Numbers, opts: PlotOptions & { labels?: Numbers | string[]; name?: string; size?: number } = {}): Figure {
  const xs = toNumbers(x, "plot.scatter x"), ys = toNumbers(y, "plot.scatter y");
  if (xs.length !== ys.length) throw new Error(`plot.scatter: x has ${xs.length} values but y has ${ys.length}`);
  const marker = { size: opts.size ?? 7 };
  if (!opts.labels) return new Figure([{ type: "scatter", mode: "markers", x: xs, y: ys, marker, ...(opts.name ? { name: opts.name } : {}) }], baseLayout(opts));
  const labels = Array.isArray(opts.labels) && typeof opts.labels[0] === "string" ? (opts.labels as string[]) : toNumbers(opts.labels as Numbers, "plot.scatter labels").map(String);
  if (labels.length !== xs.length) throw new Error(`plot.scatter: ${labels.length} labels for ${xs.length} points`);
  const classes = [...new Set(labels)].sort();
  const traces = classes.map((c): Trace => {
    const idx = labels.flatMap((l, i) => (l === c ? [i] : []));
    return { type: "scatter", mode: "markers", name: `class ${c}`, x: idx.map((i) => xs[i]), y: idx.map((i) => ys[i]), marker };
  });
  return new Figure(traces, baseLayout(opts));
}

/** Bar chart of one value per label. */
function bar(labels: (string | number)[], values: Numbers, opts: PlotOptions = {}): Figure {
  const ys = toNumbers(values, "plot.bar values");
  if (labels.length !== ys.length) throw new Error(`plot.bar: ${labels.length} labels for ${ys.length} values`);
  return new Figure([{ type: "bar", x: labels.map(String), y: ys }], baseLayout(opts));
}

/** Histogram with `bins` equal-width bins (20 by default), e.g. of weights or gradients. */
function histogram(values: Numbers, opts: PlotOptions & { bins?: number } = {}): Figure {
  const xs = toNumbers(values, "plot.histogram values");
  const bins = opts.bins ?? 20;
  if (!(Number.isInteger(bins) && bins > 0)) throw new Error(`plot.histogram: bins must be a positive integer, got ${bins}`);
  const [lo, hi] = finiteRange(xs);
  const size = hi > lo ? (hi - lo) / bins : 1;
  // Explicit bins, so the interactive chart and the static SVG agree.
  return new Figure([{ type: "histogram", x: xs, xbins: { start: round(lo), end: round(lo + size * bins), size: round(size) * (1 + 1e-9) } }], baseLayout(opts, { bargap: 0.02 }));
}

/** Options of grid plots (heatmap, contour, surface). */
export interface GridOptions extends PlotOptions {
  /** Column coordinates (or labels); row coordinates (or labels). */
  x?: Numbers | string[];
  y?: Numbers | string[];
  colorscale?: ColorScale;
  zmin?: number;
  zmax?: number;
}

function gridTrace(type: string, z: Matrix, opts: GridOptions): Trace {
  const zs = toMatrix(z, `plot.${type} z`);
  const axis = (a: Numbers | string[] | undefined, n: number, name: string) => {
    if (a === undefined) return undefined;
    const v = Array.isArray(a) && typeof a[0] === "string" ? (a as string[]) : toNumbers(a as Numbers, `plot.${type} ${name}`);
    if (v.length !== n) throw new Error(`plot.${type}: ${name} has ${v.length} values for ${n} ${name === "x" ? "columns" : "rows"}`);
    return v;
  };
  const x = axis(opts.x, zs[0]?.length ?? 0, "x"), y = axis(opts.y, zs.length, "y");
  return {
    type, z: zs, ...(x ? { x } : {}), ...(y ? { y } : {}),
    colorscale: plotlyScale(opts.colorscale ?? "viridis"),
    ...(opts.zmin !== undefined ? { zmin: opts.zmin } : {}), ...(opts.zmax !== undefined ? { zmax: opts.zmax } : {}),
  };
}

/** Heatmap of a matrix (row 0 at the top, like an image); `showValues` writes each cell's value. */
function heatmap(z: Matrix, opts: GridOptions & { showValues?: boolean } = {}): Figure {
  const t = gridTrace("heatmap", z, opts);
  if (opts.showValues) t.texttemplate = "%{z}";
  return new Figure([t], baseLayout(opts, { yaxis: { autorange: "reversed" } }));
}

/** Contour plot of z over a grid (e.g. a loss landscape seen from above). */
function contour(z: Matrix, opts: GridOptions = {}): Figure {
  return new Figure([gridTrace("contour", z, opts)], baseLayout(opts));
}

/** 3-D surface of z over a grid (e.g. a loss surface); the static fallback shows it from above. */
function surface(z: Matrix, opts: GridOptions & { zlabel?: string } = {}): Figure {
  const layout = baseLayout(opts);
  delete layout.xaxis;
  delete layout.yaxis;
  layout.scene = {
    xaxis: { title: { text: opts.xlabel ?? "x" } },
    yaxis: { title: { text: opts.ylabel ?? "y" } },
    zaxis: { title: { text: opts.zlabel ?? "z" } },
  };
  return new Figure([gridTrace("surface", z, opts)], layout);
}

/** Plot builders: each returns a Figure (displayed when it is the cell's value, or with `.show()`). */
export const plot = {
  line,
  scatter,
  bar,
  histogram,
  heatmap,
  contour,
  surface,
  /** A figure from raw Plotly traces and layout. */
  figure: (data: Trace[], layout: Layout = {}) => new Figure(data, layout),
};
