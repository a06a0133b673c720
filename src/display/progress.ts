/**
 * `progress(iterable, { total, desc })`: a tqdm-style bar that updates one output in place
 * (display_id), with rate, ETA and a live postfix such as the current loss; `text/plain` for
 * plain clients, and a `\r`-redrawn line on a terminal outside the kernel.
 */
import { Tensor } from "../tensor/tensor.js";
import { displayBundle, inKernel, type DisplayHandle, type MimeBundle } from "./kernel-hook.js";
import { escapeHtml, readTensor } from "./values.js";

/** Options of progress(). */
export interface ProgressOptions {
  /** Number of items (taken from the iterable's `length` or `size` when it has one). */
  total?: number;
  /** Label shown before the bar. */
  desc?: string;
  /** Minimum milliseconds between two redraws (default 100); the final state is always shown. */
  interval?: number;
  /** Unit of the rate (default "it" → "12.3it/s"). */
  unit?: string;
}

/** `75` → `01:15`, `3725` → `1:02:05` (tqdm's format). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  const mmss = `${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}`;
  return h ? `${h}:${mmss}` : mmss;
}

function formatValue(v: unknown): string {
  const n = v instanceof Tensor ? readTensor(v).data[0] : v;
  if (typeof n !== "number") return String(n);
  return Number.isInteger(n) ? String(n) : Math.abs(n) >= 1e-3 && Math.abs(n) < 1e5 ? n.toPrecision(4) : n.toExponential(2);
}

/**
 * A progress bar over an iterable (sync or async), or driven by hand with `update(n)`.
 * Iterating to the end, breaking out, or calling `close()` sends the final state.
 */
export class Progress<T = number> implements Iterable<T>, AsyncIterable<T> {
  /** Items done so far. */
  n = 0;
  readonly total: number | undefined;
  desc: string;
  private postfix: Record<string, unknown> = {};
  private readonly start = Date.now();
  private lastDraw = 0;
  private handle: DisplayHandle | undefined;
  private closed = false;
  private lineWidth = 0;

  constructor(private readonly iterable: Iterable<T> | AsyncIterable<T> | undefined, private readonly opts: ProgressOptions = {}) {
    const sized = iterable as { length?: unknown; size?: unknown } | undefined;
    const guess = typeof sized?.length === "number" ? sized.length : typeof sized?.size === "number" ? sized.size : undefined;
    this.total = opts.total ?? guess;
    if (this.total !== undefined && !(this.total >= 0)) throw new Error(`progress: total must be a number >= 0, got ${this.total}`);
    this.desc = opts.desc ?? "";
    this.draw(true);
  }

  /** Marks `n` more items done. */
  update(n = 1): void {
    this.n += n;
    this.draw(false);
  }

  /** Sets the values shown after the rate, e.g. `bar.setPostfix({ loss })` (tensors are read). */
  setPostfix(values: Record<string, unknown>): void {
    this.postfix = { ...values };
    this.draw(false);
  }

  /** Sends the final state; iteration calls this itself when it ends or is broken out of. */
  close(): void {
    if (this.closed) return;
    this.draw(true);
    this.closed = true;
    if (!inKernel()) process.stderr.write(process.stderr.isTTY ? "\n" : `${this.toString()}\n`);
  }

  *[Symbol.iterator](): Iterator<T> {
    if (!this.iterable || !(Symbol.iterator in this.iterable)) throw new Error("progress: this iterable is async; use `for await`");
    try {
      for (const item of this.iterable as Iterable<T>) {
        yield item;
        this.update();
      }
    } finally {
      this.close();
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    if (!this.iterable) throw new Error("progress: nothing to iterate; pass an iterable or call update()");
    try {
      for await (const item of this.iterable) {
        yield item;
        this.update();
      }
    } finally {
      this.close();
    }
  }

  /** Fraction done in [0, 1], or undefined without a total. */
  get fraction(): number | undefined {
    return this.total ? Math.min(1, this.n / this.total) : this.total === 0 ? 1 : undefined;
  }

  /** `desc: 45%|████▌     | 45/100 [00:02<00:03, 20.1it/s, loss=0.2300]` */
  toString(): string {
    const desc = this.desc ? `${this.desc}: ` : "";
    const f = this.fraction;
    if (f === undefined) return `${desc}${this.counts()}`;
    const width = 20, filled = f * width, full = Math.floor(filled);
    const partial = full < width ? " ▏▎▍▌▋▊▉"[Math.floor((filled - full) * 8)] : "";
    const bar = "█".repeat(full) + partial + " ".repeat(Math.max(0, width - full - partial.length));
    return `${desc}${String(Math.floor(f * 100)).padStart(3)}%|${bar}| ${this.counts()}`;
  }

  /** `45/100 [00:02<00:03, 20.1it/s, loss=0.2300]` (or `45it [00:02, 20.1it/s]` with no total). */
  private counts(): string {
    const elapsed = (Date.now() - this.start) / 1000;
    const rate = elapsed > 0 ? this.n / elapsed : 0;
    const unit = this.opts.unit ?? "it";
    const post = Object.entries(this.postfix).map(([k, v]) => `, ${k}=${formatValue(v)}`).join("");
    const rateText = `${rate ? rate.toFixed(rate < 10 ? 2 : 1) : "?"}${unit}/s`;
    if (this.total === undefined) return `${this.n}${unit} [${formatDuration(elapsed)}, ${rateText}${post}]`;
    const eta = rate > 0 ? formatDuration((this.total - this.n) / rate) : "?";
    return `${this.n}/${this.total} [${formatDuration(elapsed)}<${eta}, ${rateText}${post}]`;
  }

  /** The MIME bundle: an HTML bar plus the text line. */
  bundle(): MimeBundle {
    const f = this.fraction;
    const pct = f === undefined ? undefined : Math.floor(f * 100);
    const text = this.toString();
    const done = this.closed || (f !== undefined && f >= 1);
    const barColor = done ? "#2e7d32" : "#1976d2";
    const html =
      `<div class="gradnote-progress" data-n="${this.n}"${this.total !== undefined ? ` data-total="${this.total}"` : ""} ` +
      `style="font-family:monospace;font-size:13px;display:flex;align-items:center;gap:8px;white-space:pre">` +
      // Spaces between the parts keep the text readable where a sanitizer drops the styles.
      (this.desc ? `<span>${escapeHtml(this.desc)}</span> ` : "") +
      (pct === undefined ? "" : `<span class="gradnote-progress-pct" style="min-width:4ch;text-align:right">${pct}%</span> ` +
        `<span style="display:inline-block;width:240px;height:12px;background:#e0e0e0;border-radius:3px;overflow:hidden">` +
        `<span class="gradnote-progress-bar" style="display:block;height:100%;width:${(f! * 100).toFixed(1)}%;background:${barColor}"></span></span> `) +
      `<span>${escapeHtml(this.counts())}</span></div>`;
    return { "text/html": html, "text/plain": text };
  }

  private draw(force: boolean): void {
    if (this.closed) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < (this.opts.interval ?? 100)) return;
    this.lastDraw = now;
    if (inKernel()) {
      if (!this.handle) this.handle = displayBundle(this.bundle(), { displayId: true });
      else this.handle.updateBundle(this.bundle());
    } else if (process.stderr.isTTY) {
      const line = this.toString();
      process.stderr.write(`\r${line}${" ".repeat(Math.max(0, this.lineWidth - line.length))}`);
      this.lineWidth = line.length;
    }
  }
}

/**
 * Wraps an iterable (or a count: `progress(100)` iterates 0..99) with a progress bar:
 * `for (const batch of progress(loader, { desc: "epoch 1" })) { …; bar.setPostfix({ loss }) }`.
 */
export function progress<T>(iterable: Iterable<T> | AsyncIterable<T>, opts?: ProgressOptions): Progress<T>;
export function progress(count: number, opts?: ProgressOptions): Progress<number>;
export function progress<T>(source: Iterable<T> | AsyncIterable<T> | number, opts: ProgressOptions = {}): Progress<T | number> {
  if (typeof source === "number") {
    if (!(Number.isInteger(source) && source >= 0)) throw new Error(`progress: a count must be an integer >= 0, got ${source}`);
    const range = { length: source, *[Symbol.iterator]() { for (let i = 0; i < source; i++) yield i; } };
    return new Progress<number>(range, { total: source, ...opts });
  }
  if (source == null || !(Symbol.iterator in Object(source) || Symbol.asyncIterator in Object(source))) {
    throw new Error(`progress: expected an iterable, an async iterable or a count, got ${source === null ? "null" : typeof source}`);
  }
  return new Progress<T>(source, opts);
}
