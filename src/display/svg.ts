/**
 * Static SVG rendering of the figures gradnote builds (scatter/line, bar, histogram, heatmap,
 * contour and surface drawn as a heatmap): the fallback for viewers that run no scripts
 * (GitHub, nbviewer, graders' static views, untrusted notebooks). Not a general Plotly renderer.
 */
import { colorAt, PALETTE, plotlyScale, type ColorScale } from "./color.js";
import { pngBase64 } from "./png.js";
import { escapeHtml, finiteRange } from "./values.js";
import type { FigureJson } from "./plotly-html.js";

type Trace = Record<string, unknown> & { type?: string; name?: string };
interface Axis { title?: { text?: string }; type?: string; autorange?: unknown; range?: [number, number]; ticktext?: string[]; tickvals?: number[] }

const FONT = `font-family="Open Sans, Arial, sans-serif"`;

/** Tick values at 1-2-5 steps covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, target = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** Ticks of a log axis (given in log10 units): whole decades, or 1-2-5 steps within one or two decades. */
function logTicks(lo: number, hi: number): number[] {
  if (hi - lo >= 2) return niceTicks(Math.ceil(lo), Math.floor(hi), 6).filter(Number.isInteger);
  return niceTicks(10 ** lo, 10 ** hi).filter((v) => v > 0).map(Math.log10);
}

function tickLabel(v: number, log: boolean): string {
  const x = log ? 10 ** v : v;
  if (x !== 0 && (Math.abs(x) >= 1e5 || Math.abs(x) < 1e-3)) return x.toExponential(0);
  return String(Number(x.toPrecision(4)));
}

function nums(a: unknown): number[] {
  return Array.isArray(a) || ArrayBuffer.isView(a) ? Array.from(a as ArrayLike<unknown>, (v) => (typeof v === "number" ? v : NaN)) : [];
}

/** Histogram bins as Plotly computes them from `xbins` ({start, end, size}). */
function histogramBars(t: Trace): { x: number[]; y: number[]; width: number } {
  const values = nums(t.x).filter(Number.isFinite);
  const bins = (t.xbins ?? {}) as { start?: number; end?: number; size?: number };
  const [lo, hi] = finiteRange(values);
  const size = bins.size ?? ((hi - lo) / 20 || 1);
  const start = bins.start ?? lo;
  const n = Math.max(1, Math.ceil(((bins.end ?? hi) - start) / size - 1e-9));
  const counts = new Array(n).fill(0);
  for (const v of values) counts[Math.min(n - 1, Math.max(0, Math.floor((v - start) / size)))]++;
  return { x: counts.map((_, i) => start + (i + 0.5) * size), y: counts, width: size };
}

function scaleOf(trace: Trace): ColorScale {
  return JSON.stringify(trace.colorscale) === JSON.stringify(plotlyScale("rdbu")) ? "rdbu" : "viridis";
}

/** Renders a figure to a standalone SVG string (width x height from the layout, else 640x420). */
export function figureSvg(fig: FigureJson): string {
  const layout = fig.layout as Record<string, unknown> & { xaxis?: Axis; yaxis?: Axis; title?: { text?: string } };
  const W = typeof layout.width === "number" ? layout.width : 640;
  const H = typeof layout.height === "number" ? layout.height : 420;
  const traces = fig.data as Trace[];
  const named = traces.filter((t) => t.name && t.showlegend !== false && !["heatmap", "contour", "surface"].includes(t.type ?? ""));
  const legend = named.length > 1 || (named.length === 1 && layout.showlegend === true);
  const m = { l: 64, r: legend ? 150 : 24, t: layout.title?.text ? 44 : 20, b: 52 };
  const pw = W - m.l - m.r, ph = H - m.t - m.b;
  const xlog = layout.xaxis?.type === "log", ylog = layout.yaxis?.type === "log";
  const tx = (v: number) => (xlog ? Math.log10(v) : v), ty = (v: number) => (ylog ? Math.log10(v) : v);

  // Category axes (bar labels): strings become positions 0..n-1.
  const categories: string[] = [];
  const xPos = (v: unknown): number => {
    if (typeof v !== "string") return tx(Number(v));
    let i = categories.indexOf(v);
    if (i < 0) i = categories.push(v) - 1;
    return i;
  };
  interface Series { x: number[]; y: number[]; kind: "line" | "markers" | "both" | "bar"; width?: number; color: string; name?: string }
  const series: Series[] = [];
  const grids: { trace: Trace; z: number[][]; x: number[]; y: number[] }[] = [];
  let xCats: string[] | undefined, yCats: string[] | undefined;
  traces.forEach((t, i) => {
    const color = ((t.line as { color?: string })?.color ?? (t.marker as { color?: unknown })?.color ?? PALETTE[i % PALETTE.length]) as string;
    const c = typeof color === "string" ? color : PALETTE[i % PALETTE.length];
    if (t.type === "heatmap" || t.type === "contour" || t.type === "surface") {
      const z = ((t.z as (number | null)[][]) ?? []).map((r) => r.map((v) => (v === null ? NaN : v)));
      const isCat = (a: unknown) => Array.isArray(a) && typeof a[0] === "string";
      // String coordinates (class names, parameter names) are categories at 0..n-1.
      if (isCat(t.x)) xCats = t.x as string[];
      if (isCat(t.y)) yCats = t.y as string[];
      const x = t.x && !isCat(t.x) ? nums(t.x).map(tx) : z[0]?.map((_, j) => j) ?? [];
      const y = t.y && !isCat(t.y) ? nums(t.y).map(ty) : z.map((_, j) => j);
      grids.push({ trace: t, z, x, y });
    } else if (t.type === "histogram") {
      const h = histogramBars(t);
      series.push({ ...h, kind: "bar", color: c, name: t.name });
    } else if (t.type === "bar") {
      const xs = (Array.isArray(t.x) ? t.x : nums(t.y).map((_, j) => j)).map(xPos);
      series.push({ x: xs, y: nums(t.y).map(ty), kind: "bar", width: 0.8, color: c, name: t.name });
    } else {
      const y = nums(t.y).map(ty);
      const x = Array.isArray(t.x) || ArrayBuffer.isView(t.x) ? Array.from(t.x as ArrayLike<unknown>, xPos) : y.map((_, j) => j);
      const mode = String(t.mode ?? "lines");
      series.push({ x, y, kind: mode.includes("lines") ? (mode.includes("markers") ? "both" : "line") : "markers", color: c, name: t.name });
    }
  });

  // Data ranges (grid cells extend half a step beyond their centres).
  const xs: number[] = [], ys: number[] = [];
  for (const s of series) {
    xs.push(...s.x.map((v) => v - (s.width ?? 0) / 2), ...s.x.map((v) => v + (s.width ?? 0) / 2));
    ys.push(...s.y);
    if (s.kind === "bar") ys.push(0);
  }
  for (const g of grids) {
    const dx = g.x.length > 1 ? (g.x[1] - g.x[0]) / 2 : 0.5, dy = g.y.length > 1 ? (g.y[1] - g.y[0]) / 2 : 0.5;
    xs.push(g.x[0] - dx, g.x[g.x.length - 1] + dx);
    ys.push(g.y[0] - dy, g.y[g.y.length - 1] + dy);
  }
  let [x0, x1] = layout.xaxis?.range ?? finiteRange(xs);
  let [y0, y1] = layout.yaxis?.range ?? finiteRange(ys);
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  if (series.length && !grids.length && !layout.yaxis?.range) {
    const pad = (y1 - y0) * 0.05;
    [y0, y1] = [ys.some((v) => v < 0) || y0 > 0 ? y0 - pad : y0, y1 + pad];
  }
  const reversed = layout.yaxis?.autorange === "reversed";
  const px = (v: number) => m.l + ((v - x0) / (x1 - x0)) * pw;
  const py = (v: number) => (reversed ? m.t + ((v - y0) / (y1 - y0)) * ph : m.t + ph - ((v - y0) / (y1 - y0)) * ph);
  const f = (v: number) => v.toFixed(1);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ${FONT} font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/><rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="#E5ECF6"/>`);
  if (layout.title?.text) out.push(`<text x="${W / 2}" y="26" text-anchor="middle" font-size="16">${escapeHtml(layout.title.text)}</text>`);

  for (const g of grids) {
    const rows = g.z.length, cols = g.z[0]?.length ?? 0;
    if (!rows || !cols) continue;
    const flat = g.z.flat();
    const zmin = typeof g.trace.zmin === "number" ? g.trace.zmin : finiteRange(flat)[0];
    const zmax = typeof g.trace.zmax === "number" ? g.trace.zmax : finiteRange(flat)[1];
    const scale = scaleOf(g.trace);
    const data = new Uint8Array(rows * cols * 4);
    for (let r = 0; r < rows; r++) {
      const row = reversed ? r : rows - 1 - r; // image rows top-down; Plotly's y grows upward
      for (let c = 0; c < cols; c++) {
        const [R, G, B] = colorAt(scale, (g.z[row][c] - zmin) / (zmax - zmin || 1));
        data.set([R, G, B, 255], (r * cols + c) * 4);
      }
    }
    const gx0 = px(g.x[0] - (g.x[1] - g.x[0] || 1) / 2), gx1 = px(g.x[cols - 1] + (g.x[1] - g.x[0] || 1) / 2);
    const ya = py(g.y[0] - (g.y[1] - g.y[0] || 1) / 2), yb = py(g.y[rows - 1] + (g.y[1] - g.y[0] || 1) / 2);
    const opacity = typeof g.trace.opacity === "number" ? ` opacity="${g.trace.opacity}"` : "";
    out.push(`<image${opacity} x="${f(gx0)}" y="${f(Math.min(ya, yb))}" width="${f(gx1 - gx0)}" height="${f(Math.abs(yb - ya))}" preserveAspectRatio="none" style="image-rendering:pixelated" href="data:image/png;base64,${pngBase64({ width: cols, height: rows, data })}"/>`);
    if (g.trace.texttemplate) {
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
        const t = (g.z[r][c] - zmin) / (zmax - zmin || 1);
        out.push(`<text x="${f(px(g.x[c]))}" y="${f(py(g.y[r]) + 4)}" text-anchor="middle" fill="${t > 0.6 ? "#000" : "#fff"}">${g.z[r][c]}</text>`);
      }
    }
  }

  // Grid lines and tick labels.
  const xcat = categories.length ? categories : xCats;
  const xticks = xcat ? xcat.map((_, i) => i) : layout.xaxis?.tickvals ?? (xlog ? logTicks(x0, x1) : niceTicks(x0, x1));
  const xlabels = xcat ?? layout.xaxis?.ticktext ?? xticks.map((v) => tickLabel(v, xlog));
  xticks.forEach((v, i) => {
    if (v < x0 || v > x1) return;
    if (!grids.length) out.push(`<line x1="${f(px(v))}" x2="${f(px(v))}" y1="${m.t}" y2="${m.t + ph}" stroke="#fff"/>`);
    out.push(`<text x="${f(px(v))}" y="${m.t + ph + 16}" text-anchor="middle" fill="#444">${escapeHtml(String(xlabels[i]))}</text>`);
  });
  const yticks = yCats ? yCats.map((_, i) => i) : layout.yaxis?.tickvals ?? (ylog ? logTicks : niceTicks)(Math.min(y0, y1), Math.max(y0, y1));
  const ylabels = yCats ?? layout.yaxis?.ticktext ?? yticks.map((v) => tickLabel(v, ylog));
  yticks.forEach((v, i) => {
    if (!grids.length) out.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${f(py(v))}" y2="${f(py(v))}" stroke="#fff"/>`);
    out.push(`<text x="${m.l - 6}" y="${f(py(v) + 4)}" text-anchor="end" fill="#444">${escapeHtml(String(ylabels[i]))}</text>`);
  });
  if (layout.xaxis?.title?.text) out.push(`<text x="${m.l + pw / 2}" y="${H - 12}" text-anchor="middle">${escapeHtml(layout.xaxis.title.text)}</text>`);
  if (layout.yaxis?.title?.text) out.push(`<text transform="translate(16 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(layout.yaxis.title.text)}</text>`);

  out.push(`<svg x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" viewBox="${m.l} ${m.t} ${pw} ${ph}" overflow="hidden">`);
  for (const s of series) {
    if (s.kind === "bar") {
      s.x.forEach((x, i) => {
        const w = s.width ?? 0.8;
        const top = py(Math.max(0, s.y[i])), bottom = py(Math.min(0, s.y[i]));
        if (Number.isFinite(s.y[i])) out.push(`<rect x="${f(px(x - w / 2))}" y="${f(top)}" width="${f(px(x + w / 2) - px(x - w / 2))}" height="${f(bottom - top)}" fill="${s.color}" stroke="#fff" stroke-width="0.5"/>`);
      });
      continue;
    }
    if (s.kind !== "markers") {
      let d = "", pen = false;
      s.x.forEach((x, i) => {
        const ok = Number.isFinite(x) && Number.isFinite(s.y[i]);
        if (ok) d += `${pen ? "L" : "M"}${f(px(x))} ${f(py(s.y[i]))}`;
        pen = ok;
      });
      if (d) out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2" stroke-linejoin="round"/>`);
    }
    if (s.kind !== "line") {
      s.x.forEach((x, i) => {
        if (Number.isFinite(x) && Number.isFinite(s.y[i])) out.push(`<circle cx="${f(px(x))}" cy="${f(py(s.y[i]))}" r="3.5" fill="${s.color}" stroke="#fff" stroke-width="0.5"/>`);
      });
    }
  }
  out.push(`</svg>`);
  if (legend) {
    named.forEach((t, i) => {
      const s = series.find((q) => q.name === t.name);
      const y = m.t + 10 + i * 20;
      out.push(`<rect x="${W - m.r + 12}" y="${y - 6}" width="14" height="4" fill="${s?.color ?? PALETTE[i % PALETTE.length]}"/><text x="${W - m.r + 32}" y="${y}">${escapeHtml(String(t.name))}</text>`);
    });
  }
  out.push(`</svg>`);
  return out.join("");
}
