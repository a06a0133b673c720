/**
 * Colour scales shared by the PNG images and the static SVG plots: a viridis-like sequential
 * map, a blue-white-red diverging map and a categorical palette (Plotly's default colours).
 */

/** Plotly's default trace colours, so static SVGs match the interactive chart. */
export const PALETTE = ["#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692", "#B6E880", "#FF97FF", "#FECB52"];

const VIRIDIS: [number, number, number][] = [
  [68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142],
  [31, 158, 137], [53, 183, 121], [109, 205, 89], [180, 222, 44], [253, 231, 37],
];
const RDBU: [number, number, number][] = [[33, 102, 172], [247, 247, 247], [178, 24, 43]];

function interpolate(stops: [number, number, number][], t: number): [number, number, number] {
  const u = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  const pos = u * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(pos));
  const f = pos - i;
  const a = stops[i], b = stops[i + 1];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f)) as [number, number, number];
}

/** A named colour scale: t in [0, 1] to RGB bytes. */
export type ColorScale = "viridis" | "rdbu";

/** RGB bytes for t in [0, 1] (clamped; NaN maps to the low end). */
export function colorAt(scale: ColorScale, t: number): [number, number, number] {
  return interpolate(scale === "rdbu" ? RDBU : VIRIDIS, t);
}

/** `#rrggbb` for t in [0, 1]. */
export function hexAt(scale: ColorScale, t: number): string {
  return "#" + colorAt(scale, t).map((v) => v.toString(16).padStart(2, "0")).join("");
}

/** The Plotly colorscale equivalent of a scale, for the interactive figure. */
export function plotlyScale(scale: ColorScale): [number, string][] {
  const n = scale === "rdbu" ? 3 : VIRIDIS.length;
  return Array.from({ length: n }, (_, i) => [i / (n - 1), hexAt(scale, i / (n - 1))]);
}
