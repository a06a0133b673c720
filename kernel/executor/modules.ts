/**
 * Module resolution for cells: `"gradnote"` is the bundled runtime (no install step), Node
 * builtins load as they are, and packages resolve from the notebook's folder (the kernel's
 * working directory), ESM-only packages included.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { dirname, isAbsolute, join, resolve as resolvePath } from "node:path";
import { pathToFileURL } from "node:url";

/** dist/gradnote.mjs, next to the kernel bundle. */
export const RUNTIME_URL = new URL("./gradnote.mjs", import.meta.url).href;

function exportTarget(entry: unknown): string | undefined {
  if (typeof entry === "string") return entry;
  if (entry && typeof entry === "object") {
    const e = entry as Record<string, unknown>;
    for (const cond of ["node", "import", "default", "require"]) {
      const t = exportTarget(e[cond]);
      if (t) return t;
    }
    return exportTarget(e["."]);
  }
  return undefined;
}

/** Resolves packages whose "exports" only offer an `import` condition (require.resolve refuses those). */
function resolveEsmPackage(spec: string, fromDir: string): string | undefined {
  const parts = spec.split("/");
  const name = spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  const sub = "." + spec.slice(name.length);
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const pkgDir = join(dir, "node_modules", name);
    const pkgJson = join(pkgDir, "package.json");
    if (existsSync(pkgJson)) {
      const pkg = JSON.parse(readFileSync(pkgJson, "utf8")) as Record<string, unknown>;
      const exportsField = pkg.exports as Record<string, unknown> | string | undefined;
      const target =
        sub === "."
          ? exportTarget(typeof exportsField === "object" && exportsField && "." in exportsField ? exportsField["."] : exportsField) ?? (pkg.module as string) ?? (pkg.main as string) ?? "index.js"
          : exportTarget(typeof exportsField === "object" ? exportsField?.[sub] : undefined) ?? sub;
      return join(pkgDir, target);
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** The URL `import()` should load for a specifier written in a cell. */
export function resolveSpecifier(spec: string, fromDir = process.cwd()): string {
  if (spec === "gradnote") return RUNTIME_URL;
  if (spec.startsWith("node:") || isBuiltin(spec)) return spec;
  if (/^(file|data):/.test(spec)) return spec;
  if (spec.startsWith(".") || isAbsolute(spec)) return pathToFileURL(resolvePath(fromDir, spec)).href;
  const req = createRequire(join(fromDir, "__gradnote_cell__.js"));
  try {
    return pathToFileURL(req.resolve(spec)).href;
  } catch (e) {
    const esm = resolveEsmPackage(spec, fromDir);
    if (esm && existsSync(esm)) return pathToFileURL(esm).href;
    const err = new Error(`Cannot find module '${spec}' from ${fromDir} (install it there with: npm install ${spec})`);
    err.name = "ModuleNotFoundError";
    (err as Error & { cause?: unknown }).cause = e;
    throw err;
  }
}

/**
 * CommonJS modules expose only the names Node's lexer can find statically; `import { pad }`
 * from `module.exports = { pad: () => … }` should still work, as bundlers make it work.
 */
function withCommonJsNames(ns: Record<string, unknown>, url: string): Record<string, unknown> {
  const def = ns.default;
  if (url.startsWith("node:") || !def || (typeof def !== "object" && typeof def !== "function")) return ns;
  const names = Object.keys(def).filter((k) => !(k in ns));
  if (names.length === 0) return ns;
  const merged: Record<string, unknown> = Object.create(null);
  for (const k of names) merged[k] = (def as Record<string, unknown>)[k];
  return Object.assign(merged, ns);
}

/** `await __gn.import(spec)`: what a cell's static and dynamic imports turn into. */
export async function importForCell(spec: string): Promise<unknown> {
  const url = resolveSpecifier(String(spec));
  return withCommonJsNames((await import(url)) as Record<string, unknown>, url);
}

/** Listing for completion inside an import string. */
export function moduleNames(fromDir = process.cwd()): string[] {
  const names = new Set<string>(["gradnote"]);
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const nm = join(dir, "node_modules");
    if (existsSync(nm)) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<string, Record<string, string>>;
        for (const k of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) names.add(k);
      } catch {
        // No package.json next to node_modules: its packages are still found by require.
      }
      break;
    }
    if (dirname(dir) === dir) break;
  }
  return [...names];
}
