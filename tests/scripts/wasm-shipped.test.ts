// The WASM kernels that ship in src/backend/pool/wasm/ (so installs without clang run SIMD):
// they match the C sources they claim to come from, the runtime loads them, and — where clang
// and lld are installed (CI) — rebuilding from the C sources gives the same bytes.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FLAVORS, WASM_DIR, compileWasm, findClang, readManifest, sourcesDigest, wasmFile } from "../../scripts/build-wasm.mjs";

const root = join(import.meta.dirname, "../..");
const shipped = join(root, WASM_DIR);
const sha256 = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");
const onPath = (cmd: string): boolean => {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};
const clang = findClang();
const toolchain = clang !== null && (onPath("wasm-ld") || onPath("wasm-ld-14") || onPath("wasm-ld-16"));

describe("shipped WASM kernels", () => {
  it("were built from the C sources as they are now (else: npm run build:wasm, then commit)", () => {
    const manifest = readManifest(root);
    expect(manifest, `${WASM_DIR}/kernels.json is missing`).not.toBeNull();
    expect(manifest!.sources, `${WASM_DIR}/*.c or flags changed after the shipped kernels were built; run \`npm run build:wasm\` and commit`).toBe(sourcesDigest(root));
    for (const f of FLAVORS) expect(sha256(readFileSync(join(shipped, wasmFile(f)))), wasmFile(f)).toBe(manifest!.outputs[wasmFile(f)]);
  });

  it("run as the cpu backend's SIMD kernels with no build step", () => {
    const code = `import { cpuInfo } from ${JSON.stringify(new URL("../../dist/gradnote.mjs", import.meta.url).href)}; console.log(cpuInfo().kernels);`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8", env: { ...process.env, GRADNOTE_WASM: "", GRADNOTE_WASM_DIR: shipped } });
    expect(out.trim()).toBe("relaxed");
  });

  it.skipIf(!toolchain)("rebuilt from the C sources with clang + lld, equal the shipped ones byte for byte", () => {
    const tmp = mkdtempSync(join(tmpdir(), "gradnote-wasm-"));
    try {
      compileWasm(root, tmp, clang!.clang);
      const manifest = readManifest(root)!;
      if (clang!.version === manifest.compiler) {
        // Same compiler: the build is reproducible (no paths or timestamps end up in the binary).
        for (const f of FLAVORS) {
          const same = Buffer.compare(readFileSync(join(tmp, wasmFile(f))), readFileSync(join(shipped, wasmFile(f)))) === 0;
          expect(same, `${wasmFile(f)} rebuilt from ${WASM_DIR}/*.c differs from the shipped one; run \`npm run build:wasm\` and commit`).toBe(true);
        }
      } else {
        // Another clang emits other (valid) bytes: the rebuilt kernels must pass the pool's parity suite.
        execFileSync(process.execPath, [join(root, "node_modules/vitest/vitest.mjs"), "run", "tests/src/backend/pool.test.ts"], {
          cwd: root,
          stdio: "inherit",
          env: { ...process.env, GRADNOTE_WASM: "", GRADNOTE_WASM_DIR: tmp },
          timeout: 300_000,
        });
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 320_000);
});
