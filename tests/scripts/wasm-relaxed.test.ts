// scripts/wasm-relaxed.mjs: clang 14's early relaxed-SIMD opcode becomes the final one where an
// instruction starts, and the same bytes inside immediates are left alone.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { finalRelaxedOpcodes } from "../../scripts/wasm-relaxed.mjs";

/** A module with one function `f(): f32` whose body is `code` (no locals). */
function moduleWith(code: number[]): Uint8Array {
  const body = [0x00, ...code, 0x0b];
  const section = (id: number, bytes: number[]) => [id, bytes.length, ...bytes];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x00, 0x01, 0x7d]),
    ...section(3, [0x01, 0x00]),
    ...section(7, [0x01, 0x01, 0x66, 0x00, 0x00]),
    ...section(10, [0x01, body.length, ...body]),
  ]);
}

const f32x4 = (v: number) => [...new Uint8Array(new Float32Array([v, v, v, v]).buffer)];
// i32.const 22525 is encoded 0x41 0xfd 0xaf 0x01: the fma opcode's bytes inside an immediate.
const constant = [0x41, 0xfd, 0xaf, 0x01, 0x1a];
// v128.const 2, v128.const 3, v128.const 1, f32x4.fma (early 0xaf), f32x4.extract_lane 0.
const fma = [0xfd, 0x0c, ...f32x4(2), 0xfd, 0x0c, ...f32x4(3), 0xfd, 0x0c, ...f32x4(1), 0xfd, 0xaf, 0x01, 0xfd, 0x1f, 0x00];

describe("wasm-relaxed", () => {
  it("rewrites f32x4.fma to f32x4.relaxed_madd and leaves an immediate with the same bytes alone", () => {
    const { bytes, rewritten } = finalRelaxedOpcodes(moduleWith([...constant, ...fma]));
    expect(rewritten).toBe(1);
    const hex = Buffer.from(bytes).toString("hex");
    expect(hex).toContain("41fdaf011a");
    expect(hex).toContain("fd8502fd1f00");
    // V8 with relaxed SIMD runs it: relaxed_madd(2, 3, 1) = 2·3 + 1.
    const code = `const b = Buffer.from(${JSON.stringify(hex)}, "hex"); const m = new WebAssembly.Module(b); console.log(new WebAssembly.Instance(m, {}).exports.f());`;
    expect(execFileSync(process.execPath, ["--experimental-wasm-relaxed-simd", "-e", code], { encoding: "utf8" }).trim()).toBe("7");
  });

  it("refuses what is not a module and a body whose size is wrong", () => {
    expect(() => finalRelaxedOpcodes(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow("not a WebAssembly module");
    const bad = moduleWith([...constant]);
    bad[bad.length - 8] += 1; // the body's size byte: it now claims a byte past the module
    expect(() => finalRelaxedOpcodes(bad)).toThrow(/wasm-relaxed/);
  });
});
