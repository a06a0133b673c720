/**
 * Figure: a Plotly figure (traces + layout) that displays itself as
 * `application/vnd.plotly.v1+json` (JupyterLab's plotly extension, VS Code, nteract), `text/html`
 * (any front end, see plotly-html.ts), `image/svg+xml` (no scripts) and `text/plain`.
 * The plot builders are in plot.ts and teaching.ts.
 */
import { displayBundle, type DisplayHandle, type DisplayOptions, type MimeBundle } from "./kernel-hook.js";
import { plotlyHtml, type FigureJson } from "./plotly-html.js";
import { figureSvg } from "./svg.js";

/** One Plotly trace (`{ type: "scatter", x, y, … }`); see plotly's reference for the fields. */
export type Trace = Record<string, unknown> & { type: string; name?: string };
/** Plotly layout (`{ title: { text }, xaxis: { title: { text } }, … }`). */
export type Layout = Record<string, unknown>;

/** The MIME type Plotly's Jupyter renderers read. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** A Plotly figure that renders itself in Jupyter; build one with `plot.line(…)` and friends. */
export class Figure {
  /** Plotly traces, in drawing order. */
  readonly data: Trace[];
  /** Plotly layout. */
  readonly layout: Layout;
  /** Plotly config (`displaylogo`, `responsive`, …). */
  readonly config: Record<string, unknown>;

  constructor(data: Trace[], layout: Layout = {}, config: Record<string, unknown> = {}) {
    if (!Array.isArray(data)) throw new Error(`Figure: data must be an array of traces, got ${typeof data}`);
    data.forEach((t, i) => {
      if (!t || typeof t.type !== "string") throw new Error(`Figure: trace ${i} has no "type" (e.g. "scatter", "bar", "heatmap")`);
    });
    this.data = data;
    this.layout = { ...layout };
    this.config = { displaylogo: false, ...config };
  }

  /** The figure as Plotly JSON (`{ data, layout, config }`). */
  toJSON(): FigureJson {
    return { data: this.data, layout: this.layout, config: this.config };
  }

  /** The static SVG drawing of the figure. */
  toSvg(): string {
    return figureSvg(this.toJSON());
  }

  /** The MIME bundle Jupyter shows: Plotly JSON, HTML with a static fallback, SVG and text. */
  bundle(): MimeBundle {
    const json = this.toJSON();
    const svg = this.toSvg();
    return {
      [PLOTLY_MIME]: json,
      "text/html": plotlyHtml(json, svg),
      "image/svg+xml": svg,
      "text/plain": this.toString(),
    };
  }

  /** Displays the figure now (use `displayId` to update it later through the returned handle). */
  show(opts?: DisplayOptions): DisplayHandle {
    return displayBundle(this.bundle(), opts);
  }

  /** `Figure(line: "train", "val"; title "Loss")`. */
  toString(): string {
    const title = (this.layout.title as { text?: string } | undefined)?.text;
    const traces = this.data.map((t) => `${t.type}${t.name ? ` "${t.name}"` : ""}`).join(", ");
    return `Figure(${traces}${title ? `; title "${title}"` : ""})`;
  }

  [Symbol.for("Jupyter.display")](): MimeBundle {
    return this.bundle();
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
