// Builds the runtime (src/ -> dist/gradnote.mjs) and the kernel (kernel/ -> dist/*.mjs) with esbuild.
// The kernel resolves `import ... from "gradnote"` in cells to dist/gradnote.mjs, so no install step
// is needed in a notebook's folder.
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "linked",
  logLevel: "warning",
  // Native and self-spawning packages stay outside the bundle.
  external: ["zeromq", "esbuild", "webgpu", "typescript"],
  banner: {
    js: "import { createRequire as __gnCreateRequire } from 'node:module'; const require = __gnCreateRequire(import.meta.url);",
  },
};

const entries = [["src/index.ts", "dist/gradnote.mjs"], ["src/backend/pool/worker.ts", "dist/pool-worker.mjs"]];
for (const [src, out] of [
  ["kernel/main.ts", "dist/kernel.mjs"],
  ["kernel/protocol-worker.ts", "dist/protocol-worker.mjs"],
  // The language worker (completion, inspection and diagnostics from types; kernel/lang/).
  ["kernel/lang/worker.ts", "dist/lang-worker.mjs"],
  ["kernel/cli.ts", "dist/cli.mjs"],
  // The Jupyter client, for bench/kernel.mjs (drives gradnote and ipykernel alike).
  ["kernel/client.ts", "dist/client.mjs"],
]) {
  if (existsSync(join(root, src))) entries.push([src, out]);
}
// Docs for inspect_request (extracted with typescript; an install without it skips them).
try {
  const { extractDocs } = await import("./extract-docs.mjs");
  const { writeFileSync, mkdirSync } = await import("node:fs");
  mkdirSync(join(root, "dist"), { recursive: true });
  writeFileSync(join(root, "dist", "docs.json"), JSON.stringify(extractDocs(join(root, "src"))));
} catch (e) {
  if (e?.code !== "ERR_MODULE_NOT_FOUND") throw e;
}

// WASM SIMD kernels of the cpu backend: the committed binaries, rebuilt when their C sources
// changed and clang + lld are installed; copied into dist/ beside the bundle.
{
  const { buildWasm } = await import("./build-wasm.mjs");
  const line = buildWasm(root, join(root, "dist"));
  if (line) console.warn(`gradnote build: ${line}`);
}

// Native AVX2 kernels (x86-64 Linux, with a C compiler): dist/gradnote-native.node.
{
  const { buildNative } = await import("./build-native.mjs");
  const line = buildNative(root, join(root, "dist"));
  if (line) console.warn(`gradnote build: ${line}`);
}

// Declaration files for the kernel's language service (dist/types), beside the bundles.
const typesBuilt = import("./build-types.mjs").then(({ buildTypes }) => buildTypes(root)).then(
  (line) => line && console.warn(`gradnote build: ${line}`),
  (e) => {
    if (e?.code !== "ERR_MODULE_NOT_FOUND") throw e;
  },
);

await Promise.all([
  typesBuilt,
  ...entries.map(([src, out]) =>
    build({
      ...common,
      entryPoints: [join(root, src)],
      outfile: join(root, out),
      // The language worker loads typescript through V8's code cache (kernel/lang/typescript-cached.ts).
      ...(out === "dist/lang-worker.mjs" ? { absWorkingDir: root, alias: { typescript: "./kernel/lang/typescript-cached.ts" }, external: common.external.filter((e) => e !== "typescript") } : {}),
    }),
  ),
  minifyPlotly(),
  minifyTypeScript(),
]);

// dist/typescript.min.js: the language worker's copy of typescript.js, minified (names kept), so
// the worker holds 4 MB of source instead of 9 MB (kernel/lang/typescript-cached.ts). Rebuilt only
// when the package is newer; an install without typescript has no language worker anyway.
async function minifyTypeScript() {
  const { createRequire } = await import("node:module");
  const { statSync } = await import("node:fs");
  let src;
  try {
    src = createRequire(import.meta.url).resolve("typescript");
  } catch {
    return;
  }
  const out = join(root, "dist", "typescript.min.js");
  if (existsSync(out) && statSync(out).mtimeMs >= statSync(src).mtimeMs) return;
  await build({ entryPoints: [src], outfile: out, minify: true, keepNames: true, bundle: false, format: "cjs", platform: "node", target: "node20", logLevel: "warning", legalComments: "none" });
}

// dist/plotly.min.js: served from the kernelspec folder to notebook pages and inlined once in
// `gradnote run --html` reports (plotly.js-dist ships only the unminified bundle). Rebuilt only
// when the package is newer than the copy.
async function minifyPlotly() {
  const { createRequire } = await import("node:module");
  const { statSync } = await import("node:fs");
  const src = createRequire(import.meta.url).resolve("plotly.js-dist");
  const out = join(root, "dist", "plotly.min.js");
  if (existsSync(out) && statSync(out).mtimeMs >= statSync(src).mtimeMs) return;
  await build({ entryPoints: [src], outfile: out, minify: true, bundle: false, target: "es2020", logLevel: "warning", legalComments: "none" });
}
