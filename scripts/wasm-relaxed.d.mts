/** clang 14's relaxed-SIMD opcodes in a module rewritten to the final ones (see wasm-relaxed.mjs). */
export function finalRelaxedOpcodes(bytes: Uint8Array): { bytes: Uint8Array; rewritten: number };
