// gradnote's declaration files (src/ -> dist/types/*.d.ts) for the kernel's language service,
// which maps `import … from "gradnote"` to dist/types/index.d.ts. Emitted by the TypeScript
// compiler API; skipped when no file under src/ is newer than the last emit.
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : e.name.endsWith(".ts") ? statSync(p).mtimeMs : 0);
  }
  return t;
}

/** Emits dist/types; returns a line to print when it could not, else undefined. */
export async function buildTypes(root) {
  const src = join(root, "src");
  const out = join(root, "dist", "types");
  const stamp = join(out, ".stamp");
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= newest(src)) return undefined;
  // The stamp gets the time the sources were read, so a file saved during the emit is newer.
  const started = new Date();
  const ts = (await import("typescript")).default;
  const files = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) files.push(p);
    }
  };
  walk(src);
  const options = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2023.d.ts", "lib.esnext.disposable.d.ts"],
    types: ["node"],
    strict: true,
    skipLibCheck: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    declaration: true,
    emitDeclarationOnly: true,
    // `/** @internal */` members stay out of what notebooks see.
    stripInternal: true,
    rootDir: src,
    outDir: out,
    noEmitOnError: false,
  };
  rmSync(out, { recursive: true, force: true });
  const program = ts.createProgram(files, options);
  const r = program.emit();
  const index = join(out, "index.d.ts");
  if (!existsSync(index)) return `dist/types not written (${r.diagnostics.length} diagnostics): completion falls back to runtime values`;
  // Files that add methods by module augmentation (Tensor's methods-*.ts) are loaded by
  // side-effect imports, which declaration output drops: the index imports them again.
  const augmenting = [];
  const find = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) find(p);
      else if (e.name.endsWith(".d.ts") && /^declare module ["']/m.test(readFileSync(p, "utf8"))) augmenting.push("./" + relative(out, p).replace(/\\/g, "/").replace(/\.d\.ts$/, ".js"));
    }
  };
  find(out);
  appendFileSync(index, augmenting.sort().map((f) => `import ${JSON.stringify(f)};\n`).join(""));
  writeFileSync(stamp, started.toISOString() + "\n");
  utimesSync(stamp, started, started);
  return undefined;
}
