/**
 * One cell's nbformat outputs built from iopub messages, as a notebook front end builds them,
 * in time linear in what the kernel sent and with a byte cap per cell (`--max-output`). The
 * kernel may be untrusted (grading): every message field is checked, nothing it sends can make
 * the runner slower than linear or keep more than the cap. No sockets here (client.ts), no files.
 */

/** A stream output; `text` is nbformat's list of lines, filled in by `CellOutputs.finish()`. */
export type StreamOutput = { output_type: "stream"; name: "stdout" | "stderr"; text: string[] };
export type DisplayDataOutput = { output_type: "display_data"; data: Record<string, unknown>; metadata: Record<string, unknown> };
export type ExecuteResultOutput = { output_type: "execute_result"; data: Record<string, unknown>; metadata: Record<string, unknown>; execution_count: number | null };
export type ErrorOutput = { output_type: "error"; ename: string; evalue: string; traceback: string[] };
/** An nbformat 4 code-cell output. */
export type NbOutput = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

/** The part of an iopub message this module reads (a `ReceivedMessage` from client.ts fits). */
export interface IopubMessage {
  header: { msg_type: string };
  content: Record<string, unknown>;
}

/**
 * Default bytes kept per cell: 8 MiB. The largest legitimate output gradnote itself makes,
 * `plot.initNotebookMode()` (all of plotly.js, ~4.8 MB), fits with room; a flood of printed
 * lines stops there instead of growing the notebook without bound. Graders pass a smaller cap.
 */
export const DEFAULT_MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

/** Past the cap errors are still kept, at most this many (then the newest replaces the last). */
const MAX_ERRORS_PAST_CAP = 8;
/** Bounds on a kept error, in characters: the name, the message, the whole traceback. */
const ERROR_LIMITS = { ename: 1024, evalue: 16 * 1024, traceback: 48 * 1024 };

type DataOutput = DisplayDataOutput | ExecuteResultOutput;
interface DisplayEntry { out: DataOutput; owner: CellOutputs; bytes: number }

/**
 * Display ids of one notebook: `update_display_data` changes every output shown with that id,
 * in whichever cell it is (a later cell may update an earlier cell's display). Share one
 * instance between the `CellOutputs` of a notebook.
 */
export class DisplayIds {
  private readonly byId = new Map<string, Set<DisplayEntry>>();

  /** @internal */
  add(id: string, entry: DisplayEntry): void {
    let set = this.byId.get(id);
    if (!set) this.byId.set(id, (set = new Set()));
    set.add(entry);
  }

  /** @internal */
  remove(id: string, entry: DisplayEntry): void {
    const set = this.byId.get(id);
    if (!set) return;
    set.delete(entry);
    if (set.size === 0) this.byId.delete(id);
  }

  /** @internal */
  get(id: string): Iterable<DisplayEntry> {
    return this.byId.get(id) ?? [];
  }
}

export interface CellOutputsOptions {
  /** Bytes of output kept for this cell (UTF-8 text, JSON of MIME data); default 8 MiB. */
  maxOutputBytes?: number;
  /** Display ids shared across the notebook's cells; a fresh set when omitted. */
  displays?: DisplayIds;
}

/**
 * The outputs of one cell. Feed it the cell's iopub messages in order with `apply()`, then call
 * `finish()` once for the nbformat outputs. Output is kept until `maxOutputBytes`; the first
 * output that does not fit is cut (a stream keeps the bytes that fit, whole characters) and
 * everything after it is dropped and counted, with one note on stderr saying how much. Error
 * outputs are always kept (shortened when huge). `clear_output` empties the cell and its count.
 */
export class CellOutputs {
  readonly maxOutputBytes: number;
  private readonly displays: DisplayIds;
  private readonly outputs: NbOutput[] = [];
  /** Text chunks of each stream output, joined and split into lines once, by finish(). */
  private readonly chunks = new Map<StreamOutput, string[]>();
  /** Display ids this cell registered (removed again when the cell is cleared). */
  private readonly registered: [string, DisplayEntry][] = [];
  private used = 0;
  private dropped = 0;
  private note: StreamOutput | undefined;
  private pendingClear = false;
  private errorsPastCap = 0;
  /** Where the newest error kept past the cap is (past the cap only errors are appended). */
  private lastErrorPastCap = -1;
  private finished = false;

  constructor(opts: CellOutputsOptions = {}) {
    const max = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    if (!(max >= 0)) throw new RangeError(`maxOutputBytes must be a number of bytes >= 0, got ${max}`);
    this.maxOutputBytes = Math.floor(max);
    this.displays = opts.displays ?? new DisplayIds();
  }

  /** Bytes of output kept in this cell now. */
  get keptBytes(): number {
    return this.used;
  }

  /** Bytes the kernel sent for this cell that were not kept (past the cap). */
  get droppedBytes(): number {
    return this.dropped;
  }

  /** Applies one iopub message; messages that are not output (status, execute_input) are ignored. */
  apply(m: IopubMessage): void {
    if (this.finished) throw new Error("CellOutputs.apply: the cell is finished");
    const type = m.header.msg_type;
    const c = m.content ?? {};
    if (type === "clear_output") {
      if (c.wait === true) this.pendingClear = true;
      else this.clear();
      return;
    }
    if (this.pendingClear && (type === "stream" || type === "display_data" || type === "execute_result" || type === "error")) this.clear();
    switch (type) {
      case "stream": {
        this.stream(c.name === "stderr" ? "stderr" : "stdout", typeof c.text === "string" ? c.text : String(c.text ?? ""));
        // What a gradnote kernel under GRADNOTE_MAX_OUTPUT counted but did not send.
        const notSent = c.gradnote_not_sent;
        if (typeof notSent === "number" && Number.isSafeInteger(notSent) && notSent > 0) this.drop(notSent);
        break;
      }
      case "display_data":
      case "execute_result": {
        const out: DataOutput = type === "display_data"
          ? { output_type: type, data: record(c.data), metadata: record(c.metadata) }
          : { output_type: type, data: record(c.data), metadata: record(c.metadata), execution_count: typeof c.execution_count === "number" ? c.execution_count : null };
        this.data(out, displayId(c));
        break;
      }
      case "update_display_data": {
        const id = displayId(c);
        if (id !== undefined) this.update(id, record(c.data), record(c.metadata));
        break;
      }
      case "error":
        this.error({ output_type: "error", ename: String(c.ename ?? "Error"), evalue: String(c.evalue ?? ""), traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [] });
        break;
    }
  }

  /**
   * The cell's nbformat outputs, stream text split into lines. Call once, after the last
   * message; the array stays live for display updates from later cells.
   */
  finish(): NbOutput[] {
    if (!this.finished) {
      this.finished = true;
      for (const [out, parts] of this.chunks) out.text = splitLines(parts.join(""));
      this.chunks.clear();
      this.renderNote();
    }
    return this.outputs;
  }

  private stream(name: "stdout" | "stderr", text: string): void {
    if (text === "") return;
    const bytes = Buffer.byteLength(text, "utf8");
    if (this.note) {
      this.drop(bytes);
      return;
    }
    let kept = text, keptBytes = bytes;
    if (this.used + bytes > this.maxOutputBytes) {
      kept = utf8Prefix(text, this.maxOutputBytes - this.used);
      keptBytes = Buffer.byteLength(kept, "utf8");
    }
    if (kept !== "") {
      const last = this.outputs[this.outputs.length - 1];
      const parts = last?.output_type === "stream" && last.name === name ? this.chunks.get(last) : undefined;
      if (parts) parts.push(kept);
      else {
        const out: StreamOutput = { output_type: "stream", name, text: [] };
        this.outputs.push(out);
        this.chunks.set(out, [kept]);
      }
      this.used += keptBytes;
    }
    if (keptBytes < bytes) this.drop(bytes - keptBytes);
  }

  private data(out: DataOutput, id: string | undefined): void {
    const bytes = jsonBytes(out.data) + jsonBytes(out.metadata);
    if (this.note || this.used + bytes > this.maxOutputBytes) {
      this.drop(bytes);
      return;
    }
    this.used += bytes;
    this.outputs.push(out);
    if (id !== undefined) {
      const entry: DisplayEntry = { out, owner: this, bytes };
      this.displays.add(id, entry);
      this.registered.push([id, entry]);
    }
  }

  /** Replaces the data of every output shown with `id`; an update past its cell's cap is dropped there. */
  private update(id: string, data: Record<string, unknown>, metadata: Record<string, unknown>): void {
    const bytes = jsonBytes(data) + jsonBytes(metadata);
    for (const entry of this.displays.get(id)) {
      const owner = entry.owner;
      if (owner.note || owner.used - entry.bytes + bytes > owner.maxOutputBytes) {
        owner.drop(bytes);
        continue;
      }
      owner.used += bytes - entry.bytes;
      entry.bytes = bytes;
      entry.out.data = data;
      entry.out.metadata = metadata;
    }
  }

  private error(out: ErrorOutput): void {
    const bytes = errorBytes(out);
    if (!this.note && this.used + bytes <= this.maxOutputBytes) {
      this.used += bytes;
      this.outputs.push(out);
      return;
    }
    // Past the cap the error is kept anyway (it says why the cell failed), but shortened, and a
    // kernel that floods errors keeps only the first few and the newest.
    const short = shortenError(out);
    if (this.errorsPastCap >= MAX_ERRORS_PAST_CAP) {
      this.drop(errorBytes(this.outputs[this.lastErrorPastCap] as ErrorOutput));
      this.outputs[this.lastErrorPastCap] = short;
    } else {
      this.errorsPastCap++;
      this.lastErrorPastCap = this.outputs.push(short) - 1;
    }
  }

  /** Counts bytes not kept; the first drop appends the note. */
  private drop(bytes: number): void {
    this.dropped += bytes;
    if (!this.note) {
      this.note = { output_type: "stream", name: "stderr", text: [] };
      this.outputs.push(this.note);
    }
    if (this.finished) this.renderNote();
  }

  private renderNote(): void {
    if (!this.note) return;
    // A front end merges neighbouring stderr streams: start the note on its own line.
    const i = this.outputs.indexOf(this.note);
    const before = this.outputs[i - 1];
    const lastLine = before?.output_type === "stream" && before.name === "stderr" ? before.text[before.text.length - 1] : undefined;
    const sep = lastLine !== undefined && !lastLine.endsWith("\n") ? "\n" : "";
    this.note.text = [`${sep}[gradnote: output cut after ${formatBytes(this.maxOutputBytes)}; ${this.dropped.toLocaleString("en-US")} more bytes were not kept (--max-output)]\n`];
  }

  private clear(): void {
    this.pendingClear = false;
    for (const [id, entry] of this.registered) this.displays.remove(id, entry);
    this.registered.length = 0;
    this.outputs.length = 0;
    this.chunks.clear();
    this.used = 0;
    this.dropped = 0;
    this.note = undefined;
    this.errorsPastCap = 0;
    this.lastErrorPastCap = -1;
  }
}

function errorBytes(e: ErrorOutput): number {
  return Buffer.byteLength(e.ename) + Buffer.byteLength(e.evalue) + e.traceback.reduce((n, l) => n + Buffer.byteLength(l), 0);
}

function record(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function displayId(c: Record<string, unknown>): string | undefined {
  const id = record(c.transient).display_id;
  return typeof id === "string" && id !== "" ? id : undefined;
}

/** Size of a MIME bundle or metadata as it will be stored: strings as UTF-8, the rest as JSON. */
function jsonBytes(v: Record<string, unknown>): number {
  let n = 0;
  for (const [k, x] of Object.entries(v)) n += k.length + (typeof x === "string" ? Buffer.byteLength(x) : Buffer.byteLength(JSON.stringify(x) ?? ""));
  return n;
}

/** The longest prefix of `s` within `bytes` UTF-8 bytes (the cut is exact: it may end mid-line). */
function utf8Prefix(s: string, bytes: number): string {
  if (bytes <= 0) return "";
  const buf = Buffer.from(s, "utf8");
  let end = Math.min(bytes, buf.length);
  // Never cut inside a character: step back over continuation bytes (10xxxxxx).
  if (end < buf.length) while (end > 0 && (buf[end] & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString("utf8");
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}… [${(s.length - max).toLocaleString("en-US")} more characters]`;
}

function shortenError(e: ErrorOutput): ErrorOutput {
  const traceback: string[] = [];
  let room = ERROR_LIMITS.traceback;
  for (const [i, line] of e.traceback.entries()) {
    if (room <= 0) {
      traceback.push(`[${e.traceback.length - i} more traceback lines not kept]`);
      break;
    }
    const kept = clip(line, room);
    traceback.push(kept);
    room -= kept.length;
  }
  return { output_type: "error", ename: clip(e.ename, ERROR_LIMITS.ename), evalue: clip(e.evalue, ERROR_LIMITS.evalue), traceback };
}

/** "1.0 MiB", "64.0 KiB", "500 bytes". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 * 1024) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

const UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, kib: 1024, kb: 1000, m: 1024 ** 2, mib: 1024 ** 2, mb: 1000 ** 2, g: 1024 ** 3, gib: 1024 ** 3, gb: 1000 ** 3 };

/**
 * A byte count from the command line: `65536`, `64k`, `1M`, `2MiB`, `1.5m`, `10MB`. As in GNU
 * coreutils, K/M/G and KiB/MiB/GiB are powers of 1024, KB/MB/GB powers of 1000. A bad value
 * throws an error that names `option`.
 */
export function parseByteSize(value: string, option = "size"): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new Error(`${option}: expected a number of bytes such as 65536, 64k, 1M or 2MiB, got ${JSON.stringify(value)}`);
  return Math.floor(Number(m[1]) * unit);
}

/** Splits text the way nbformat stores multi-line strings: lines that keep their "\n". */
export function splitLines(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = s.indexOf("\n"); i >= 0; i = s.indexOf("\n", start)) {
    out.push(s.slice(start, i + 1));
    start = i + 1;
  }
  if (start < s.length) out.push(s.slice(start));
  return out;
}

const joined = (t: unknown) => (Array.isArray(t) ? t.join("") : String(t ?? ""));

/**
 * What a cell printed, as plain text for a terminal: streams as they are, errors as
 * `Name: message`, rich outputs by their `text/plain` with the other MIME types named; each
 * output starts on a new line.
 */
export function plainSummary(outputs: readonly Record<string, unknown>[]): string {
  const parts: string[] = [];
  for (const o of outputs) {
    // Each output starts on its own line (a stream cut by the cap may end mid-line).
    if (parts.length > 0 && !parts[parts.length - 1].endsWith("\n")) parts.push("\n");
    if (o.output_type === "stream") parts.push(joined(o.text));
    else if (o.output_type === "error") parts.push(`${o.ename}: ${o.evalue}\n`);
    else {
      const data = record(o.data);
      const plain = data["text/plain"];
      const kinds = Object.keys(data).filter((k) => k !== "text/plain");
      parts.push(`${typeof plain === "string" ? plain : joined(plain)}${kinds.length ? ` [${kinds.join(", ")}]` : ""}\n`);
    }
  }
  return parts.join("");
}
