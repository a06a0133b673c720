// Shared helpers for display suites: a PNG decoder built on zlib's inflate (so tests check the
// encoder against an independent reader) and a fake kernel hook that records display messages.
import { inflateSync } from "node:zlib";
import { expect } from "vitest";
import type { MimeBundle } from "../../../src/display/kernel-hook.js";

export interface DecodedPng { width: number; height: number; pixels: Uint8Array; chunks: string[] }

/** Decodes an 8-bit RGBA, non-interlaced PNG (what encodePng writes); checks every chunk's CRC. */
export function decodePng(bytes: Buffer): DecodedPng {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let pos = 8, width = 0, height = 0;
  const idat: Buffer[] = [], chunks: string[] = [];
  while (pos < bytes.length) {
    const len = bytes.readUInt32BE(pos), type = bytes.toString("latin1", pos + 4, pos + 8);
    const body = bytes.subarray(pos + 8, pos + 8 + len);
    chunks.push(type);
    expect(bytes.readUInt32BE(pos + 8 + len)).toBe(crc32(bytes.subarray(pos + 4, pos + 8 + len)));
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect([body[8], body[9], body[12]]).toEqual([8, 6, 0]);
    } else if (type === "IDAT") idat.push(body);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  expect(raw.length).toBe((stride + 1) * height);
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const left = i >= 4 ? pixels[y * stride + i - 4] : 0, up = y > 0 ? pixels[(y - 1) * stride + i] : 0;
      const v = filter === 0 ? row[i] : filter === 1 ? row[i] + left : filter === 2 ? row[i] + up : NaN;
      if (Number.isNaN(v)) throw new Error(`decodePng: filter ${filter} not supported by this test decoder`);
      pixels[y * stride + i] = v & 0xff;
    }
  }
  return { width, height, pixels, chunks };
}

function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of b) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** The RGBA pixel at (x, y). */
export const pixel = (p: DecodedPng, x: number, y: number) => [...p.pixels.subarray((y * p.width + x) * 4, (y * p.width + x) * 4 + 4)];

export interface Recorded { kind: "display" | "update"; displayId: string; data: MimeBundle; at: number }

/** Installs a fake kernel hook (what kernel/main.ts registers) and returns what it receives. */
export function fakeKernel(): { messages: Recorded[]; restore(): void } {
  const key = Symbol.for("gradnote.kernel");
  const g = globalThis as Record<symbol, unknown>;
  const before = g[key];
  const messages: Recorded[] = [];
  let ids = 0;
  const bundle = (data: MimeBundle, opts: { displayId?: string | true } = {}) => {
    const displayId = typeof opts.displayId === "string" ? opts.displayId : `id-${++ids}`;
    messages.push({ kind: "display", displayId, data, at: Date.now() });
    return {
      displayId,
      update: () => { throw new Error("helpers must use updateBundle"); },
      updateBundle: (d: MimeBundle) => void messages.push({ kind: "update", displayId, data: d, at: Date.now() }),
    };
  };
  g[key] = { display: Object.assign(() => { throw new Error("not used"); }, { bundle }), clearOutput() {}, input: async () => "" };
  return { messages, restore: () => void (g[key] = before) };
}
