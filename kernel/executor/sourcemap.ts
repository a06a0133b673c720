/**
 * Just enough of the source map v3 format to map a generated line back to the cell's line:
 * base64 VLQ decoding of `mappings`, first segment per generated line.
 */
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = B64_INDEX.get(ch);
    if (digit === undefined) throw new Error(`source map: bad VLQ character ${JSON.stringify(ch)}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/**
 * Returns, for each generated line (0-based index), the 1-based original line, or 0 when the
 * generated line has no mapping (it then inherits the previous mapped line).
 */
export function lineTable(mappings: string): number[] {
  const table: number[] = [];
  let origLine = 0;
  let last = 0;
  for (const line of mappings.split(";")) {
    let first = 0;
    for (const seg of line.split(",")) {
      if (!seg) continue;
      const f = decodeVlq(seg);
      if (f.length >= 4) {
        origLine += f[2];
        if (!first) first = origLine + 1;
      }
    }
    if (first) last = first;
    table.push(first || last);
  }
  return table;
}
