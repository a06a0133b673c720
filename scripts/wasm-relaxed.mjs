// Rewrites the relaxed-SIMD instructions of a module built by clang 14 (-mrelaxed-simd) from the
// proposal's early opcodes to the final ones that V8 (Node 20, --experimental-wasm-relaxed-simd)
// accepts. Both encodings are three bytes (0xfd + a two-byte LEB128), so nothing moves.
//
// The code section is decoded instruction by instruction (immediates included), so an opcode is
// only rewritten where an instruction starts, never inside a constant or an offset. Any other
// early relaxed opcode stays invalid, so the build's validation (compileWasm) refuses the module.

/** clang 14's opcode → the final opcode (f32x4.fma → f32x4.relaxed_madd). */
const REWRITE = new Map([[0xaf, 0x105]]);

class Reader {
  constructor(bytes, pos = 0) {
    this.b = bytes;
    this.pos = pos;
  }
  byte() {
    if (this.pos >= this.b.length) throw new Error("wasm-relaxed: unexpected end of module");
    return this.b[this.pos++];
  }
  /** An unsigned or signed LEB128 (only its length matters here, except for u32 values). */
  leb() {
    let result = 0, shift = 0, byte;
    do {
      byte = this.byte();
      if (shift < 28) result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return result >>> 0;
  }
  skip(n) {
    this.pos += n;
  }
}

const BLOCK_BYTE_TYPES = new Set([0x40, 0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f]);

function blockType(r) {
  if (BLOCK_BYTE_TYPES.has(r.b[r.pos])) r.skip(1);
  else r.leb(); // s33 type index
}

const memarg = (r) => {
  r.leb();
  r.leb();
};

/** Skips the immediates of a 0xfd-prefixed instruction. */
function simdImmediates(op, r) {
  if (op <= 0x0b || op === 0x5c || op === 0x5d) return memarg(r);
  if (op === 0x0c || op === 0x0d) return r.skip(16);
  if (op >= 0x15 && op <= 0x22) return r.skip(1);
  if (op >= 0x54 && op <= 0x5b) {
    memarg(r);
    return r.skip(1);
  }
}

/** Skips the immediates of a 0xfc-prefixed instruction. */
function miscImmediates(op, r) {
  if (op <= 7) return;
  if (op === 8) {
    r.leb();
    return r.skip(1);
  }
  if (op === 10) return r.skip(2);
  if (op === 11) return r.skip(1);
  if (op === 12 || op === 14) {
    r.leb();
    return r.leb();
  }
  if (op === 9 || op === 13 || (op >= 15 && op <= 17)) return r.leb();
  throw new Error(`wasm-relaxed: unknown 0xfc instruction ${op}`);
}

/** Walks one function body's instructions; calls onSimd(op, at) for every 0xfd instruction. */
function walkBody(r, end, onSimd) {
  for (let groups = r.leb(); groups > 0; groups--) {
    r.leb();
    r.skip(1);
  }
  while (r.pos < end) {
    const at = r.pos;
    const op = r.byte();
    if (op === 0x02 || op === 0x03 || op === 0x04) blockType(r);
    else if (op === 0x0c || op === 0x0d || op === 0x10 || (op >= 0x20 && op <= 0x26) || op === 0xd2) r.leb();
    else if (op === 0x0e) {
      for (let n = r.leb(); n >= 0; n--) r.leb();
    } else if (op === 0x11) {
      r.leb();
      r.leb();
    } else if (op === 0x1c) r.skip(r.leb());
    else if (op >= 0x28 && op <= 0x3e) memarg(r);
    else if (op === 0x3f || op === 0x40) r.skip(1);
    else if (op === 0x41 || op === 0x42) r.leb();
    else if (op === 0x43) r.skip(4);
    else if (op === 0x44) r.skip(8);
    else if (op === 0xd0) r.skip(1);
    else if (op === 0xfc) miscImmediates(r.leb(), r);
    else if (op === 0xfd) {
      const sub = r.leb();
      onSimd(sub, at);
      simdImmediates(sub, r);
    } else if (op > 0xd2 && op !== 0xfc && op !== 0xfd) throw new Error(`wasm-relaxed: unknown opcode 0x${op.toString(16)} at byte ${at}`);
  }
  if (r.pos !== end) throw new Error("wasm-relaxed: a function body did not end where its size says");
}

/**
 * Returns a copy of `bytes` with clang 14's relaxed-SIMD opcodes replaced by the final ones, and
 * how many instructions were rewritten.
 */
export function finalRelaxedOpcodes(bytes) {
  const out = Uint8Array.from(bytes);
  if (out[0] !== 0x00 || out[1] !== 0x61 || out[2] !== 0x73 || out[3] !== 0x6d) throw new Error("wasm-relaxed: not a WebAssembly module");
  const r = new Reader(out, 8);
  let rewritten = 0;
  while (r.pos < out.length) {
    const id = r.byte();
    const size = r.leb();
    const end = r.pos + size;
    if (id === 10) {
      for (let n = r.leb(); n > 0; n--) {
        const bodySize = r.leb();
        const bodyEnd = r.pos + bodySize;
        walkBody(r, bodyEnd, (sub, at) => {
          const to = REWRITE.get(sub);
          if (to !== undefined) {
            // 0xfd, then the two-byte LEB128 of the old opcode, overwritten by the new one's.
            if (out[at + 1] !== ((sub & 0x7f) | 0x80) || out[at + 2] !== sub >> 7) throw new Error("wasm-relaxed: unexpected opcode encoding");
            out[at + 1] = (to & 0x7f) | 0x80;
            out[at + 2] = to >> 7;
            rewritten++;
          }
        });
      }
    }
    r.pos = end;
  }
  return { bytes: out, rewritten };
}
