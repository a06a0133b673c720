/**
 * complete_request: from types first (the language worker: members, options keys, string-literal
 * unions, nested namespaces, ranked by TypeScript), else from runtime values: global names
 * (including let/const/class from earlier cells), members after `.` (where the type is `any`),
 * and module names inside import strings. Cursor positions are Unicode code points, as the
 * protocol says, converted to and from JavaScript's UTF-16 indices here.
 */
import { builtinModules } from "node:module";
import { callOn, lexicalNames, peek, releasePeeks } from "./evaluate.js";
import { moduleNames } from "./modules.js";
import { ask } from "../lang/client.js";
import { INTERNAL_MEMBERS } from "../lang/internal.js";

/**
 * How long completion waits for the language worker before answering from runtime values.
 * JupyterLab 4 drops a completion provider that answers after 1 s (its providerTimeout), so
 * typed results that take longer (a worker still loading, a busy machine) give way to the
 * runtime's, which answer at once. GRADNOTE_COMPLETE_WAIT_MS changes it (the tests of typed
 * completion wait longer, so a loaded machine cannot turn them into runtime answers).
 */
const TYPED_WAIT_MS = Number(process.env.GRADNOTE_COMPLETE_WAIT_MS) > 0 ? Number(process.env.GRADNOTE_COMPLETE_WAIT_MS) : 600;

const KEYWORDS = [
  "await", "async", "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do",
  "else", "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof",
  "interface", "let", "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "type", "typeof",
  "undefined", "var", "void", "while", "with", "yield",
];

/** UTF-16 index of a code-point offset, and back. */
export function cpToIndex(text: string, cp: number): number {
  let i = 0;
  for (let n = 0; n < cp && i < text.length; n++) i += text.codePointAt(i)! > 0xffff ? 2 : 1;
  return i;
}
export function indexToCp(text: string, index: number): number {
  return Array.from(text.slice(0, index)).length;
}

const MEMBERS_FN = `function () {
  const names = new Set();
  for (let o = this; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const k of Object.getOwnPropertyNames(o)) if (k !== "constructor" && !/^\\d+$/.test(k)) names.add(k);
  }
  return [...names];
}`;

/** Names the cell itself declares, so they complete before the cell has run. */
function declaredIn(code: string): string[] {
  const names: string[] = [];
  for (const m of code.matchAll(/\b(?:const|let|var|function\*?|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/g)) names.push(m[1]);
  return names;
}

export interface CompleteResult {
  matches: string[];
  cursor_start: number;
  cursor_end: number;
  metadata: Record<string, unknown>;
}

async function memberNames(objectExpr: string): Promise<string[]> {
  const obj = await peek(`Object(${objectExpr})`);
  return (obj && (await callOn<string[]>(obj, MEMBERS_FN))) || [];
}

/**
 * Completions from types: entries that start with the typed prefix, TypeScript's ranking
 * (sortText) first, then case-insensitive prefix matches. Undefined when none match, so the
 * runtime answers (an `any` value has no typed members).
 */
async function typedComplete(code: string, idx: number, cursorPos: number): Promise<CompleteResult | undefined> {
  const r = await ask("complete", { code, index: idx }, TYPED_WAIT_MS);
  if (!r) return undefined;
  const prefix = code.slice(r.start, idx).replace(/^["'`]/, "");
  const start = idx - prefix.length;
  const rank = (e: { name: string }) => (e.name.startsWith(prefix) ? 0 : 1);
  const entries = r.entries
    .filter((e) => e.name.toLowerCase().startsWith(prefix.toLowerCase()))
    .sort((a, b) => rank(a) - rank(b) || a.sortText.localeCompare(b.sortText) || a.name.localeCompare(b.name));
  const seen = new Set<string>();
  const unique = entries.filter((e) => !seen.has(e.name) && seen.add(e.name));
  if (unique.length === 0) return undefined;
  // A global position (keywords are offered there, not in strings, members or object keys).
  if (!r.isMember && r.entries.some((e) => e.kind === "keyword")) {
    // Names only the runtime knows (set on globalThis by code, say) come after the typed ones.
    const runtime = [...(await lexicalNames()), ...Object.getOwnPropertyNames(globalThis)];
    for (const n of runtime) if (n.startsWith(prefix) && !n.startsWith("__gn") && !seen.has(n) && seen.add(n)) unique.push({ name: n, kind: "name", sortText: "~" });
  }
  const cpStart = indexToCp(code, start);
  const cpEnd = cursorPos;
  return {
    matches: unique.map((e) => e.name),
    cursor_start: cpStart,
    cursor_end: cpEnd,
    metadata: {
      // JupyterLab shows these kinds beside the matches.
      _jupyter_types_experimental: unique.map((e) => ({ start: cpStart, end: cpEnd, text: e.name, type: e.kind === "alias" ? "name" : e.kind })),
    },
  };
}

export async function complete(code: string, cursorPos: number): Promise<CompleteResult> {
  const idx = cpToIndex(code, cursorPos);
  const before = code.slice(0, idx);
  const inImportString = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(["'])([^"'\n]*)$/.test(before);
  if (!inImportString) {
    const typed = await typedComplete(code, idx, cursorPos);
    if (typed) return typed;
  }
  let prefix: string;
  let candidates: string[];
  const inImport = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(["'])([^"'\n]*)$/.exec(before);
  if (inImport) {
    prefix = inImport[2];
    candidates = [...moduleNames(), ...builtinModules.filter((m) => !m.startsWith("_")).flatMap((m) => [m, `node:${m}`])];
  } else {
    const m = /((?:[A-Za-z_$][\w$]*\s*(?:\?\.|\.)\s*)*)([A-Za-z_$][\w$]*)?$/.exec(before)!;
    prefix = m[2] ?? "";
    const chain = m[1].replace(/\s*\??\.\s*$/, "").replace(/\s+/g, "").replace(/\?\./g, ".");
    // Underscored and internal members are not the runtime's public API (src/RUNTIME-API.md).
    if (chain) candidates = (await memberNames(chain)).filter((n) => !n.startsWith("_") && !INTERNAL_MEMBERS.has(n));
    else {
      const globals = Object.getOwnPropertyNames(globalThis);
      candidates = [...(await lexicalNames()), ...declaredIn(before.slice(0, before.length - prefix.length)), ...globals, ...KEYWORDS];
    }
    releasePeeks();
  }
  const matches = [...new Set(candidates)].filter((n) => n.startsWith(prefix) && !n.startsWith("__gn")).sort();
  const start = idx - prefix.length;
  return { matches, cursor_start: indexToCp(code, start), cursor_end: cursorPos, metadata: {} };
}
