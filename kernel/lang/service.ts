/**
 * A TypeScript language service over the notebook: three virtual files under the notebook's
 * folder (kernel globals, the context module of executed cells, the cell being typed), gradnote's
 * declaration files for `import … from "gradnote"` and npm packages' types resolved from the
 * notebook's folder. Runs in the language worker (worker.ts); nothing here touches the kernel.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { builtinModules } from "node:module";
import { join } from "node:path";
import ts from "typescript";
import { CellHistory, declarationsOf } from "./history.js";
import { inspectSymbol } from "./inspect-types.js";
import { INTERNAL_MEMBERS } from "./internal.js";

/** What a cell sees besides its imports (the kernel's globals; see kernel/main.ts). */
const KERNEL_GLOBALS = `
interface GradnoteDisplayOptions {
  /** Give the output an id (or true for a fresh one) so it can be updated in place later. */
  displayId?: string | true;
  metadata?: Record<string, unknown>;
}
/** Returned by display(): update() replaces that output wherever it is shown. */
interface GradnoteDisplayHandle {
  readonly displayId: string;
  update(value: unknown, metadata?: Record<string, unknown>): void;
  updateBundle(data: Record<string, unknown>, metadata?: Record<string, unknown>): void;
}
/** Shows a value as an output of the current cell, like IPython's display(). */
declare const display: ((value: unknown, opts?: GradnoteDisplayOptions) => GradnoteDisplayHandle) & {
  html(html: string, opts?: GradnoteDisplayOptions): GradnoteDisplayHandle;
  markdown(markdown: string, opts?: GradnoteDisplayOptions): GradnoteDisplayHandle;
  svg(svg: string, opts?: GradnoteDisplayOptions): GradnoteDisplayHandle;
  latex(latex: string, opts?: GradnoteDisplayOptions): GradnoteDisplayHandle;
  json(value: unknown, opts?: GradnoteDisplayOptions): GradnoteDisplayHandle;
  png(data: Uint8Array | string, opts?: GradnoteDisplayOptions): GradnoteDisplayHandle;
  /** Sends a MIME bundle as it is. */
  bundle(data: Record<string, unknown>, opts?: GradnoteDisplayOptions): GradnoteDisplayHandle;
};
/** Clears the cell's output; with wait, only when the next output arrives (no flicker). */
declare function clearOutput(opts?: { wait?: boolean }): void;
/** Asks the front end for a line of text; password hides it. */
declare function input(prompt?: string, opts?: { password?: boolean }): Promise<string>;
/** input() with the answer hidden. */
declare function getpass(prompt?: string): Promise<string>;
/** Shows text (or any value) in the front end's pager. */
declare function page(value: unknown): void;
/** Help on a value, in the pager (as IPython's help()). */
declare function help(...args: unknown[]): void;
/** The student's notebook, seen from a test cell (grading). */
declare const student: any;
/** Assertions for checks and test cells (grading). */
declare function expect(actual: unknown): any;
`;

/**
 * Node's globals and builtin modules when no @types/node is installed next to the notebook:
 * loosely typed, so a cell using them gets no false errors (full @types/node costs ~40 MB and
 * twice the time per check, so the kernel does not bring its own).
 */
const NODE_FALLBACK = `
interface Console {
  log(...data: any[]): void; error(...data: any[]): void; warn(...data: any[]): void; info(...data: any[]): void;
  debug(...data: any[]): void; table(data: any, columns?: string[]): void; dir(item: any, options?: any): void;
  time(label?: string): void; timeEnd(label?: string): void; timeLog(label?: string, ...data: any[]): void;
  group(...label: any[]): void; groupEnd(): void; assert(condition?: boolean, ...data: any[]): void;
  count(label?: string): void; trace(...data: any[]): void;
}
declare var console: Console;
declare var process: any;
declare var Buffer: any;
declare var performance: { now(): number; [key: string]: any };
declare function setTimeout(callback: (...args: any[]) => void, ms?: number, ...args: any[]): any;
declare function setInterval(callback: (...args: any[]) => void, ms?: number, ...args: any[]): any;
declare function setImmediate(callback: (...args: any[]) => void, ...args: any[]): any;
declare function clearTimeout(id: any): void;
declare function clearInterval(id: any): void;
declare function clearImmediate(id: any): void;
declare function queueMicrotask(callback: () => void): void;
declare function structuredClone<T>(value: T, options?: any): T;
declare function fetch(input: any, init?: any): Promise<any>;
declare var URL: any, URLSearchParams: any, TextEncoder: any, TextDecoder: any, AbortController: any, Blob: any;
declare var crypto: any, WebAssembly: any, navigator: any;
`;

/** Diagnostics that the REPL's semantics make wrong: assigning to an earlier cell's `let`. */
const IGNORED_CODES = new Set([2632, 2539, 1375, 1378]);


export interface CellDiagnostic {
  /** 1-based line and column in the cell. */
  line: number;
  column: number;
  message: string;
  code: number;
}

export interface CompletionEntry {
  name: string;
  kind: string;
  sortText: string;
}

export interface Completions {
  entries: CompletionEntry[];
  /** UTF-16 offsets in the cell of the text the completion replaces. */
  start: number;
  end: number;
  isMember: boolean;
}

function findNodeModulesFile(from: string, rel: string): string | undefined {
  try {
    return createRequire(join(from, "__gradnote__.js")).resolve(rel);
  } catch {
    return undefined;
  }
}

export interface ServiceOptions {
  /** The notebook's folder: npm packages resolve from here. */
  cwd: string;
  /** dist/types/index.d.ts (gradnote's declarations), when built. */
  gradnoteTypes?: string;
}

/** The language service and the notebook history it checks against. */
export class NotebookService {
  readonly history = new CellHistory();
  private readonly dir: string;
  private readonly files = new Map<string, { text: string; version: number }>();
  private readonly disk = new Map<string, ts.IScriptSnapshot>();
  private readonly roots: string[];
  private readonly service: ts.LanguageService;
  private readonly globalsFile: string;
  private readonly contextFile: string;
  private readonly cellFile: string;
  private readonly nodeFallbackFile: string;
  private header = "export {};";
  private lastCell: string | undefined;

  constructor(private readonly opts: ServiceOptions) {
    this.dir = join(opts.cwd, "__gradnote__");
    this.globalsFile = join(this.dir, "globals.d.ts");
    this.contextFile = join(this.dir, "context.ts");
    this.cellFile = join(this.dir, "cell.ts");
    this.nodeFallbackFile = join(this.dir, "node.d.ts");
    this.set(this.globalsFile, KERNEL_GLOBALS);
    this.set(this.contextFile, this.history.text());
    this.set(this.cellFile, this.header + "\n");
    const nodeTypes = findNodeModulesFile(opts.cwd, "@types/node/index.d.ts");
    if (!nodeTypes) {
      const modules = builtinModules.filter((m) => !m.startsWith("_")).flatMap((m) => [m, `node:${m}`]);
      this.set(this.nodeFallbackFile, NODE_FALLBACK + modules.map((m) => `declare module ${JSON.stringify(m)};`).join("\n"));
    }
    // gradnote's declarations stay in every program, loaded once, whatever the cells import.
    const preload = join(this.dir, "preload.ts");
    if (opts.gradnoteTypes) this.set(preload, `import type {} from "gradnote";\nexport {};\n`);
    this.roots = [this.globalsFile, nodeTypes ?? this.nodeFallbackFile, ...(opts.gradnoteTypes ? [preload] : []), this.contextFile, this.cellFile];
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ["lib.es2023.d.ts", "lib.esnext.disposable.d.ts"],
      types: [],
      strict: true,
      noImplicitAny: false,
      esModuleInterop: true,
      allowSyntheticDefaultImports: true,
      resolveJsonModule: true,
      skipLibCheck: true,
      noEmit: true,
      allowUnreachableCode: true,
      experimentalDecorators: true,
    };
    const cache = ts.createModuleResolutionCache(opts.cwd, (s) => s, options);
    // getModuleResolutionCache is read from the host by the service, but not in the public type.
    const host: ts.LanguageServiceHost & { getModuleResolutionCache(): ts.ModuleResolutionCache } = {
      getCompilationSettings: () => options,
      // Kept across programs: each cell's program would otherwise look up and parse the
      // package.json files above every declaration file again.
      getModuleResolutionCache: () => cache,
      getScriptFileNames: () => this.roots,
      getScriptVersion: (f) => String(this.files.get(f)?.version ?? 0),
      getScriptSnapshot: (f) => {
        const v = this.files.get(f);
        if (v) return ts.ScriptSnapshot.fromString(v.text);
        // The service asks for every file of every program it builds (each cell): declaration
        // files on disk (lib, gradnote's, packages') are read once, not once a cell.
        let snap = this.disk.get(f);
        if (!snap && existsSync(f)) this.disk.set(f, (snap = ts.ScriptSnapshot.fromString(readFileSync(f, "utf8"))));
        return snap;
      },
      getCurrentDirectory: () => opts.cwd,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (f) => this.files.has(f) || ts.sys.fileExists(f),
      readFile: (f) => this.files.get(f)?.text ?? ts.sys.readFile(f),
      readDirectory: ts.sys.readDirectory,
      directoryExists: (d) => d === this.dir || ts.sys.directoryExists(d),
      getDirectories: ts.sys.getDirectories,
      realpath: ts.sys.realpath,
      resolveModuleNames: (names, containing) =>
        names.map((name) => {
          if (name === "gradnote" && opts.gradnoteTypes) return { resolvedFileName: opts.gradnoteTypes, extension: ts.Extension.Dts, isExternalLibraryImport: true };
          if (name === "./context" && containing === this.cellFile) return { resolvedFileName: this.contextFile, extension: ts.Extension.Ts };
          return ts.resolveModuleName(name, containing, options, host, cache).resolvedModule;
        }),
    };
    this.service = ts.createLanguageService(host, ts.createDocumentRegistry());
  }

  private set(file: string, text: string): void {
    const old = this.files.get(file);
    if (old?.text === text) return;
    this.files.set(file, { text, version: (old?.version ?? 0) + 1 });
  }

  /** Records a cell that ran; its declarations replace earlier ones of the same names. */
  commit(code: string): void {
    if (this.history.commit(code)) {
      this.set(this.contextFile, this.history.text());
      this.lastCell = undefined;
    }
  }

  /** Builds the program for the current files (the worker calls it between cells). */
  prewarm(): void {
    this.service.getProgram();
  }

  /** Puts `code` in the cell file; returns the offset of the cell's text in that file. */
  private load(code: string): number {
    if (code !== this.lastCell) {
      const own = new Set(declarationsOf(code).flatMap((d) => d.names));
      const names = this.history.names().filter((n) => !own.has(n));
      // One line, so cell line n is file line n + 1.
      this.header = names.length ? `import { ${names.join(", ")} } from "./context";` : "export {};";
      this.set(this.cellFile, `${this.header}\n${code}`);
      this.lastCell = code;
    }
    return this.header.length + 1;
  }

  /** Type errors of a cell, checked against the cells executed before it. */
  diagnostics(code: string): CellDiagnostic[] {
    const offset = this.load(code);
    const out: CellDiagnostic[] = [];
    for (const d of this.service.getSemanticDiagnostics(this.cellFile)) {
      if (d.category !== ts.DiagnosticCategory.Error || IGNORED_CODES.has(d.code) || d.start === undefined || d.start < offset) continue;
      const before = code.slice(0, d.start - offset);
      const line = (before.match(/\n/g) ?? []).length + 1;
      const column = d.start - offset - before.lastIndexOf("\n");
      out.push({ line, column, message: ts.flattenDiagnosticMessageText(d.messageText, "\n"), code: d.code });
    }
    return out;
  }

  /** Completions at a UTF-16 offset of the cell, internals left out. */
  completions(code: string, index: number): Completions | undefined {
    const offset = this.load(code);
    const info = this.service.getCompletionsAtPosition(this.cellFile, offset + index, {
      includeCompletionsWithInsertText: true,
      includeAutomaticOptionalChainCompletions: true,
      includeCompletionsForModuleExports: false,
    });
    if (!info) return undefined;
    const member = info.isMemberCompletion;
    const entries = info.entries.filter((e) => {
      if (e.name.startsWith("__gn") || e.name === "__gradnote__") return false;
      if (!member) return true;
      return !e.name.startsWith("_") && !INTERNAL_MEMBERS.has(e.name) && !e.name.startsWith("#") && !e.kindModifiers?.includes("private");
    });
    // String-literal completions replace the string's text; names replace the identifier typed
    // so far (the optional span also covers the dot, for `?.` fixes, which the kernel does not offer).
    const span = entries.find((e) => e.replacementSpan && e.kind === "string")?.replacementSpan;
    let start: number;
    let end = index;
    if (span && span.start - offset <= index) {
      start = span.start - offset;
      end = Math.max(index, span.start + span.length - offset);
    } else {
      start = index - (/[A-Za-z_$][\w$]*$/.exec(code.slice(0, index))?.[0].length ?? 0);
    }
    return {
      entries: entries.map((e) => ({ name: e.name, kind: e.kind, sortText: e.sortText })),
      start,
      end,
      isMember: member,
    };
  }

  /** The type, signature, options and doc at a UTF-16 offset of the cell, as plain text. */
  inspect(code: string, index: number, detail: number): string | undefined {
    const offset = this.load(code);
    const program = this.service.getProgram();
    const sf = program?.getSourceFile(this.cellFile);
    if (!program || !sf) return undefined;
    return inspectSymbol(program.getTypeChecker(), sf, offset + index, detail);
  }

  /** Loads lib, node and gradnote types once, so the first real cell is answered quickly. */
  warm(): void {
    this.diagnostics(this.opts.gradnoteTypes ? `import * as gn from "gradnote";\nconst t = gn.zeros([1]).add(1);\nconsole.log(t.shape, new gn.nn.Linear(1, 1));` : "console.log(1)");
    this.completions("Math.", 5);
    this.lastCell = undefined;
  }
}

/** The kernel's folder (dist/), where dist/types lives beside the bundles. */
export function defaultTypes(kernelDir: string): string | undefined {
  const f = join(kernelDir, "types", "index.d.ts");
  return existsSync(f) ? f : undefined;
}
