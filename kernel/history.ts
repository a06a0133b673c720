/**
 * Execution history for history_request: (session, line, input[, output]) entries of this
 * process, answering "tail", "range" and "search" (glob pattern, as IPython does).
 */
export type HistoryEntry = [number, number, string] | [number, number, [string, string | null]];

interface Stored { line: number; input: string; output: string | null }

export class History {
  private readonly entries: Stored[] = [];
  /** Session numbers start at 1 for each kernel process. */
  readonly session = 1;

  add(line: number, input: string): void {
    this.entries.push({ line, input, output: null });
  }

  setOutput(line: number, output: string): void {
    const e = this.entries.find((x) => x.line === line);
    if (e) e.output = output;
  }

  private format(list: Stored[], output: boolean): HistoryEntry[] {
    return list.map((e) => (output ? [this.session, e.line, [e.input, e.output]] : [this.session, e.line, e.input]));
  }

  tail(n: number, output = false): HistoryEntry[] {
    return this.format(n > 0 ? this.entries.slice(-n) : [], output);
  }

  /** Lines [start, stop) of `session` (0 or negative means this session). */
  range(session: number, start: number, stop: number | undefined, output = false): HistoryEntry[] {
    if (session > 0 && session !== this.session) return [];
    return this.format(this.entries.filter((e) => e.line >= start && (stop === undefined || stop <= 0 || e.line < stop)), output);
  }

  search(pattern: string, n: number | undefined, unique: boolean, output = false): HistoryEntry[] {
    const re = globToRegExp(pattern);
    let hits = this.entries.filter((e) => re.test(e.input));
    if (unique) {
      const seen = new Set<string>();
      hits = hits.filter((e) => (seen.has(e.input) ? false : (seen.add(e.input), true)));
    }
    if (n !== undefined && n > 0) hits = hits.slice(-n);
    return this.format(hits, output);
  }
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[\\s\\S]*").replace(/\?/g, "[\\s\\S]");
  return new RegExp(`^${escaped}$`);
}
