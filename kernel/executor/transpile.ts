/**
 * Turns a TypeScript cell into JavaScript that V8's REPL mode can evaluate: esbuild strips the
 * types, then a few line-preserving rewrites on acorn's AST make module syntax work in a script
 * (static imports become `await __gn.import()`, `export` is dropped) and mark the value of the
 * last expression. Nothing here runs code.
 */
import { esbuildTransform } from "./esbuild-service.js";
import { Parser, type Node } from "acorn";
import { lineTable } from "./sourcemap.js";

export interface Transpiled {
  js: string;
  /** 1-based cell line for each 1-based generated line (index 0 unused). */
  lines: number[];
  /** True when the cell ends in an expression whose value should be displayed. */
  hasResult: boolean;
}

/** A syntax error located in the cell (1-based line, 1-based column). */
export class CellSyntaxError extends Error {
  override name = "SyntaxError";
  constructor(message: string, readonly line: number, readonly column: number, readonly lineText: string) {
    super(message);
  }
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

type AnyNode = Node & Record<string, unknown>;

const ESBUILD_OPTIONS = {
  loader: "ts",
  format: "esm",
  target: "node20",
  sourcemap: "external",
  sourcefile: "cell.ts",
  logLevel: "silent",
  supported: { "top-level-await": true },
  tsconfigRaw: {
    compilerOptions: { verbatimModuleSyntax: true, experimentalDecorators: true, useDefineForClassFields: true },
  },
} as const;

async function stripTypes(code: string): Promise<{ js: string; map: string }> {
  try {
    const r = await esbuildTransform(code, ESBUILD_OPTIONS);
    return { js: r.code, map: r.map };
  } catch (e) {
    const err = (e as { errors?: { text: string; location: { line: number; column: number; lineText: string } | null }[] }).errors?.[0];
    if (!err) throw e;
    const loc = err.location ?? { line: 1, column: 0, lineText: "" };
    throw new CellSyntaxError(err.text, loc.line, loc.column + 1, loc.lineText);
  }
}

/** Keeps the number of newlines of the replaced text so the line mapping stays exact. */
function sameLines(original: string, text: string): string {
  const n = (original.match(/\n/g) ?? []).length - (text.match(/\n/g) ?? []).length;
  return n > 0 ? text + "\n".repeat(n) : text;
}

function walk(node: unknown, visit: (n: AnyNode) => void): void {
  if (!node || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const c of node) walk(c, visit);
    return;
  }
  const n = node as AnyNode;
  if (typeof n.type === "string") visit(n);
  for (const key of Object.keys(n)) {
    if (key === "loc" || key === "type") continue;
    const v = n[key];
    if (v && typeof v === "object") walk(v, visit);
  }
}

let tmpCounter = 0;

function importReplacement(node: AnyNode): string {
  const source = JSON.stringify((node.source as AnyNode).value);
  const specs = node.specifiers as AnyNode[];
  const call = `await __gn.import(${source})`;
  if (specs.length === 0) return `${call};`;
  const named: string[] = [];
  const parts: string[] = [];
  const tmp = `__gn_m${tmpCounter++}`;
  parts.push(`const ${tmp} = ${call};`);
  for (const s of specs) {
    const local = (s.local as AnyNode).name as string;
    if (s.type === "ImportDefaultSpecifier") parts.push(`const ${local} = __gn.defaultOf(${tmp});`);
    else if (s.type === "ImportNamespaceSpecifier") parts.push(`const ${local} = ${tmp};`);
    else {
      const imported = s.imported as AnyNode;
      const name = imported.type === "Literal" ? JSON.stringify(imported.value) : (imported.name as string);
      named.push(name === local ? local : `${name}: ${local}`);
    }
  }
  if (named.length) parts.push(`const { ${named.join(", ")} } = ${tmp};`);
  return parts.join(" ");
}

function rewrite(js: string): { code: string; hasResult: boolean; lastLine: number } {
  let ast: AnyNode;
  try {
    ast = Parser.parse(js, { ecmaVersion: "latest", sourceType: "module", allowAwaitOutsideFunction: true }) as unknown as AnyNode;
  } catch (e) {
    throw new CellSyntaxError((e as Error).message, 1, 1, "");
  }
  const edits: Edit[] = [];
  const body = ast.body as AnyNode[];
  for (const node of body) {
    if (node.type === "ImportDeclaration") {
      edits.push({ start: node.start, end: node.end, text: importReplacement(node) });
    } else if (node.type === "ExportNamedDeclaration" || node.type === "ExportDefaultDeclaration") {
      const decl = node.declaration as AnyNode | null;
      if (decl) edits.push({ start: node.start, end: decl.start, text: "" });
      else edits.push({ start: node.start, end: node.end, text: "" });
    } else if (node.type === "ExportAllDeclaration") {
      edits.push({ start: node.start, end: node.end, text: "" });
    }
  }
  walk(ast, (n) => {
    if (n.type === "ImportExpression") edits.push({ start: n.start, end: n.start + "import".length, text: "__gn.import" });
    else if (n.type === "MetaProperty" && (n.meta as AnyNode).name === "import") {
      edits.push({ start: n.start, end: n.end, text: "__gn.importMeta" });
    }
  });
  let hasResult = false;
  // esbuild moves `export` clauses to the end, so they do not count as the last statement.
  const last = body.filter((n) => !/^(Import|Export)/.test(n.type)).pop();
  // A lone string literal parses as a directive, but as a cell's last line it is a value to show.
  if (last && last.type === "ExpressionStatement") {
    const expr = last.expression as AnyNode;
    // Assignments are statements to a notebook user (Python shows nothing for `x = 1`).
    if (expr.type !== "AssignmentExpression" && expr.type !== "UpdateExpression") {
      hasResult = true;
      edits.push({ start: expr.start, end: expr.start, text: "__gn.result(" });
      edits.push({ start: expr.end, end: expr.end, text: ")" });
    }
  }
  edits.sort((a, b) => b.start - a.start || b.end - a.end);
  let code = js;
  for (const e of edits) code = code.slice(0, e.start) + sameLines(code.slice(e.start, e.end), e.text) + code.slice(e.end);
  const lastLine = last ? (js.slice(0, last.end).match(/\n/g) ?? []).length + 1 : 0;
  return { code, hasResult, lastLine };
}

/** Tails that are statements or declarations, never a value to show. */
const NOT_AN_EXPRESSION = /^\s*(function\b|async\s+function\b|class\b|abstract\b|\{|type\b|interface\b|declare\b|enum\b|namespace\b|module\b|import\b|export\b|let\b|const\b|var\b|@)/;

/**
 * esbuild folds and then drops side-effect-free constant expressions (`-3.5`, `"a" + "b"`,
 * `!0`, `NaN`), so a typed cell ending in one would show nothing. When the cell's last
 * meaningful line lies after the last statement esbuild kept, this finds the trailing
 * expression (trying tails of up to 10 lines) and wraps it in `__gn.keep(…)`, an identity call
 * esbuild cannot drop. Returns the stripped JavaScript, or undefined when nothing was dropped.
 */
async function keepDroppedTail(code: string, keptUpTo: number): Promise<{ js: string; map: string } | undefined> {
  const lines = code.split("\n");
  let last = lines.length;
  while (last > 0 && /^\s*(\/\/.*)?$/.test(lines[last - 1])) last--;
  if (last <= keptUpTo) return undefined;
  for (let s = last; s > Math.max(keptUpTo, last - 10); s--) {
    const tail = lines.slice(s - 1, last).join("\n");
    if (NOT_AN_EXPRESSION.test(tail)) continue;
    const expr = tail.replace(/;\s*(\/\/[^\n]*)?$/, "");
    const head = lines.slice(0, s - 1).join("\n");
    const candidate = `${head}${s > 1 ? "\n" : ""}__gn.keep(${expr}\n);${lines.slice(last).join("\n")}`;
    try {
      return await stripTypes(candidate);
    } catch {
      // Not an expression from this line on; try one line earlier.
    }
  }
  return undefined;
}

/**
 * A cell that is already JavaScript has no types to strip: acorn alone handles it, which saves
 * esbuild's ~1 ms round trip per cell. `f<T>(x)` parses as JavaScript too but means a generic
 * call in TypeScript, so anything that looks like one takes the esbuild path.
 */
function plainJavaScript(code: string): Transpiled | undefined {
  if (/<[^<>;]*>\s*[(`]/.test(code)) return undefined;
  let rewritten: { code: string; hasResult: boolean };
  try {
    rewritten = rewrite(code);
  } catch {
    return undefined; // TypeScript, or a syntax error that esbuild reports better
  }
  const lineCount = (code.match(/\n/g) ?? []).length + 1;
  return { js: rewritten.code, lines: Array.from({ length: lineCount + 1 }, (_, i) => i), hasResult: rewritten.hasResult };
}

/** Transpiles one cell; throws CellSyntaxError with the cell's own line and column. */
export async function transpile(code: string): Promise<Transpiled> {
  const plain = plainJavaScript(code);
  if (plain) return plain;
  let { js, map } = await stripTypes(code);
  let r = rewrite(js);
  let table = lineTable((JSON.parse(map) as { mappings: string }).mappings);
  if (!r.hasResult) {
    const kept = await keepDroppedTail(code, r.lastLine ? table[r.lastLine - 1] ?? 0 : 0);
    if (kept) {
      ({ js, map } = kept);
      r = rewrite(js);
      table = lineTable((JSON.parse(map) as { mappings: string }).mappings);
    }
  }
  return { js: r.code, lines: [0, ...table], hasResult: r.hasResult };
}
