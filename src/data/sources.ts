/**
 * Where the image data sets come from, in order: a folder the caller names (`root`), the system
 * folders (Debian's packages, or the list in GRADNOTE_DATA_PATHS), then the small copies bundled
 * in the package's datasets/ folder. Each load prints one notice line saying what it used.
 * Parsing the files belongs to image-sets.ts; the dataset classes to vision.ts.
 */
import { existsSync, readFileSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folders searched when GRADNOTE_DATA_PATHS is not set: where Debian's
 * `dataset-fashion-mnist` and `python3-sklearn` put their data.
 */
export const DEFAULT_DATA_PATHS: readonly string[] = ["/usr/share/datasets", "/usr/lib/python3/dist-packages/sklearn/datasets/data"];

/**
 * The system folders searched for data sets: GRADNOTE_DATA_PATHS (folders separated by ":")
 * when it is set — an empty value means none, so only the bundled copies are used — else
 * DEFAULT_DATA_PATHS. Read at every load, so a notebook can change it.
 */
export function dataPaths(): string[] {
  const env = process.env.GRADNOTE_DATA_PATHS;
  if (env === undefined) return [...DEFAULT_DATA_PATHS];
  return env.split(delimiter).filter((p) => p.trim() !== "");
}

/** How a data set is found: folder names to try under each base, and the files a split needs. */
export interface SetSpec {
  /** Folder name of the bundled copy under datasets/ (also tried under every base). */
  readonly key: string;
  /** The name users see ("Fashion-MNIST"). */
  readonly title: string;
  /** Further folder names tried under a base or a root ("FashionMNIST/raw", torchvision's layout). */
  readonly subdirs: readonly string[];
  /** Files (without `.gz`) a split needs; a `.gz` or a plain file both count. */
  files(split: string): string[];
  /** How to get the full set, for the notice and errors. */
  readonly fullHint: string;
  /**
   * The file names are unique to this set, so a system folder may hold them directly. Not so
   * for MNIST and Fashion-MNIST, whose IDX files share names: those need a named folder.
   */
  readonly bareOk?: boolean;
}

/** Where a split was found. */
export interface Located {
  /** The folder holding the files. */
  readonly dir: string;
  /** "root": the caller's folder; "system": a system folder; "bundled": datasets/. */
  readonly kind: "root" | "system" | "bundled";
  /** Full paths of the files, in the order of `spec.files(split)`. */
  readonly files: string[];
}

/** `dir/name.gz` or `dir/name`, whichever exists, or null. */
function fileIn(dir: string, name: string): string | null {
  for (const p of [join(dir, `${name}.gz`), join(dir, name)]) if (existsSync(p)) return p;
  return null;
}

function filesIn(dir: string, names: string[]): string[] | null {
  const out: string[] = [];
  for (const n of names) {
    const p = fileIn(dir, n);
    if (!p) return null;
    out.push(p);
  }
  return out;
}

let bundledCache: string | null | undefined;

/**
 * The datasets/ folder shipped with gradnote (found from src/data/ when run from source, or
 * from dist/ when bundled), or null when it is missing.
 */
export function bundledDir(): string | null {
  if (bundledCache !== undefined) return bundledCache;
  const here = dirname(fileURLToPath(import.meta.url));
  bundledCache = null;
  for (const up of ["..", join("..", "..")]) {
    const dir = resolve(here, up, "datasets");
    if (existsSync(join(dir, "manifest.json"))) {
      bundledCache = dir;
      break;
    }
  }
  return bundledCache;
}

/** Counts recorded in datasets/manifest.json for the bundled copy of `key`. */
export function bundledCounts(key: string): Record<string, number> {
  const dir = bundledDir();
  if (!dir) return {};
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Record<string, Record<string, number>>;
  return manifest[key] ?? {};
}

/** Options of `locate`; the defaults are what users get, tests replace them. */
export interface LocateOptions {
  /** The caller's folder (torchvision's `root`): tried first, in torchvision's layout too. */
  root?: string;
  /** Search the system folders and the bundled copy when `root` lacks the files [true]. */
  fallback?: boolean;
  /** System folders [dataPaths()]. */
  paths?: readonly string[];
  /** The bundled folder [bundledDir()]; null for none. */
  bundled?: string | null;
}

/** Folders tried for `spec` under a system base: `key`, the subdirs, and the base itself if bareOk. */
function candidates(spec: SetSpec, base: string): string[] {
  return [join(base, spec.key), ...spec.subdirs.map((s) => join(base, s)), ...(spec.bareOk ? [base] : [])];
}

/**
 * Finds the files of `split`. Returns where they are, or `{ looked }` with every folder tried
 * when they are nowhere.
 */
export function locate(spec: SetSpec, split: string, opts: LocateOptions = {}): Located | { looked: string[] } {
  const names = spec.files(split);
  const looked: string[] = [];
  const tryDirs = (dirs: string[], kind: Located["kind"]): Located | null => {
    for (const dir of dirs) {
      looked.push(dir);
      const files = filesIn(dir, names);
      if (files) return { dir, kind, files };
    }
    return null;
  };
  if (opts.root !== undefined) {
    const r = resolve(opts.root);
    const found = tryDirs([...spec.subdirs.map((s) => join(r, s)), join(r, spec.key), r], "root");
    if (found || opts.fallback === false) return found ?? { looked };
  }
  for (const base of opts.paths ?? dataPaths()) {
    const found = tryDirs(candidates(spec, base), "system");
    if (found) return found;
  }
  const bundled = opts.bundled === undefined ? bundledDir() : opts.bundled;
  if (bundled) {
    const found = tryDirs([join(bundled, spec.key)], "bundled");
    if (found) return found;
  }
  return { looked };
}

/** Prints the one-line notice of what a loader used (stdout, so it shows in the cell). */
export function notice(line: string): void {
  console.log(`gradnote data: ${line}`);
}
