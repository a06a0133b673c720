/**
 * Live training curves: one output updated in place (display_id + update_display_data) while a
 * model trains, throttled to at most one update per `interval` ms, with a final update that is
 * always sent by `done()` so the saved notebook holds the whole curve.
 */
import { Tensor } from "../tensor/tensor.js";
import { PALETTE } from "./color.js";
import { Figure, type Trace } from "./figure.js";
import { displayBundle, inKernel, type DisplayHandle, type MimeBundle } from "./kernel-hook.js";
import { baseLayout, type PlotOptions } from "./plot.js";
import { readTensor, round } from "./values.js";

/** Options of liveCurve(). */
export interface LiveCurveOptions extends PlotOptions {
  /** Minimum milliseconds between two updates (default 100: at most 10 updates a second). */
  interval?: number;
  /** Series whose name matches this go on a right-hand axis (default /acc/i: accuracies). */
  secondary?: RegExp;
  /** Points per series shown in intermediate updates (evenly thinned); the final update has all. */
  maxPoints?: number;
}

function thin<T>(xs: T[], max: number): T[] {
  if (xs.length <= max) return xs;
  const step = xs.length / max;
  const out = Array.from({ length: max - 1 }, (_, i) => xs[Math.floor(i * step)]);
  out.push(xs[xs.length - 1]);
  return out;
}

/**
 * A chart that grows while you train: call `log({ train: loss, val: valLoss }, step)` every step
 * and `done()` at the end. Several series share one chart; accuracies get their own axis.
 */
export class LiveCurve {
  private readonly series = new Map<string, { x: number[]; y: (number | null)[] }>();
  private handle: DisplayHandle | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastSent = 0;
  private nextStep = 0;
  private dirty = false;
  private finished = false;
  /** How many display messages were sent (one display_data, then updates). */
  messages = 0;

  constructor(private readonly opts: LiveCurveOptions = {}) {
    const interval = opts.interval ?? 100;
    if (!(interval >= 0)) throw new Error(`liveCurve: interval must be >= 0 ms, got ${interval}`);
  }

  /** Records one value per series at `step` (default: one more than the last step). */
  log(values: Record<string, number | Tensor>, step?: number): void {
    if (this.finished) throw new Error("liveCurve: log() after done(); create a new liveCurve for a new run");
    const x = step ?? this.nextStep;
    if (!Number.isFinite(x)) throw new Error(`liveCurve: step must be a finite number, got ${step}`);
    this.nextStep = x + 1;
    for (const [name, v] of Object.entries(values)) {
      const y = v instanceof Tensor ? readTensor(v).data[0] : Number(v);
      let s = this.series.get(name);
      if (!s) this.series.set(name, (s = { x: [], y: [] }));
      s.x.push(round(x));
      s.y.push(Number.isFinite(y) ? round(y) : null);
    }
    this.dirty = true;
    if (!inKernel()) return; // plain Node: only done() prints
    const interval = this.opts.interval ?? 100;
    const wait = this.lastSent + interval - Date.now();
    if (wait <= 0) this.send(false);
    // The loop may stop (or await) before the next log(): send the pending points then.
    else if (!this.timer) {
      this.timer = setTimeout(() => this.send(false), wait);
      this.timer.unref?.();
    }
  }

  /** Sends the final update with every point (always sent); further log() calls throw. */
  done(): void {
    if (this.finished) return;
    this.finished = true;
    this.send(true);
  }

  /** The curve so far as a Figure (all points). */
  figure(maxPoints = Infinity): Figure {
    const secondary = this.opts.secondary ?? /acc/i;
    let i = 0;
    const traces: Trace[] = [];
    let hasSecondary = false;
    for (const [name, s] of this.series) {
      const right = secondary.test(name);
      hasSecondary ||= right;
      traces.push({
        type: "scatter", mode: "lines", name, x: thin(s.x, maxPoints), y: thin(s.y, maxPoints),
        line: { color: PALETTE[i++ % PALETTE.length] }, ...(right ? { yaxis: "y2" } : {}),
      });
    }
    const layout = baseLayout({ xlabel: "step", ...this.opts }, { showlegend: true, legend: { x: 1.08, y: 1 } });
    if (hasSecondary) layout.yaxis2 = { overlaying: "y", side: "right", title: { text: "accuracy" }, rangemode: "tozero" };
    return new Figure(traces, layout);
  }

  /** The latest value of each series, e.g. `step 199: train=0.0412 val=0.0533`. */
  toString(): string {
    const last = [...this.series].map(([n, s]) => `${n}=${s.y[s.y.length - 1] ?? "nan"}`).join(" ");
    return `LiveCurve(step ${this.nextStep - 1}: ${last})`;
  }

  private bundle(maxPoints: number): MimeBundle {
    return { ...this.figure(maxPoints).bundle(), "text/plain": this.toString() };
  }

  private send(final: boolean): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.dirty && !final) return;
    this.dirty = false;
    this.lastSent = Date.now();
    const data = this.bundle(final ? Infinity : this.opts.maxPoints ?? 1000);
    this.messages++;
    if (!this.handle) this.handle = displayBundle(data, { displayId: true });
    else this.handle.updateBundle(data);
  }

  [Symbol.for("Jupyter.display")](): MimeBundle {
    return this.bundle(Infinity);
  }
}

/** Starts a live training chart: `const curve = liveCurve({ title: "loss" }); curve.log({ train: l }); curve.done();` */
export function liveCurve(opts: LiveCurveOptions = {}): LiveCurve {
  return new LiveCurve(opts);
}
