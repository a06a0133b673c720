// Types for scripts/build-wasm.mjs, so tests can call it (the project does not type-check JS).
export declare const WASM_DIR: string;
export declare const FLAVORS: string[];
export declare function wasmFile(flavor: string): string;
export declare function findClang(): { clang: string; version: string } | null;
export declare function sourcesDigest(root: string): string;
export declare function compileWasm(root: string, outDir: string, clang: string): void;
export declare function readManifest(root: string): { sources: string; compiler: string; outputs: Record<string, string> } | null;
export declare function updateShipped(root: string): string;
export declare function buildWasm(root: string, distDir: string): string;
