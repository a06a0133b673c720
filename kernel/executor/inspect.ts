/**
 * inspect_request (Shift+Tab in JupyterLab): from types first (the language worker: signatures,
 * TSDoc, options objects expanded with their defaults; detail 1 adds the declaration), with the
 * value's summary when the name is a live value; else from runtime values and dist/docs.json
 * (TSDoc extracted from src/ at build time). Never shows compiled JavaScript.
 */
import { existsSync, readFileSync } from "node:fs";
import { cpToIndex } from "./complete.js";
import { inspectPlain, toBundle } from "./display.js";
import { liveValue, peek, releasePeeks } from "./evaluate.js";
import { ask } from "../lang/client.js";

/** How long inspection waits for the language worker before answering from runtime values. */
const TYPED_WAIT_MS = 4000;

export interface DocEntry {
  signature: string;
  doc: string;
}

let docs: Record<string, DocEntry> | undefined;

function loadDocs(): Record<string, DocEntry> {
  if (!docs) {
    const url = new URL("./docs.json", import.meta.url);
    docs = existsSync(url) ? (JSON.parse(readFileSync(url, "utf8")) as Record<string, DocEntry>) : {};
  }
  return docs;
}

/** The dotted name around the cursor, e.g. `nn.Linear` in `new nn.Lin|ear(2, 3)`. */
export function nameAt(code: string, index: number): string {
  const left = /[\w$.]*$/.exec(code.slice(0, index))![0];
  const right = /^[\w$]*/.exec(code.slice(index))![0];
  let name = (left + right).replace(/^\.+|\.+$/g, "");
  // With the cursor just after `(`, inspect the function being called.
  if (!name) {
    const call = /([\w$.]+)\s*\(\s*$/.exec(code.slice(0, index));
    if (call) name = call[1];
  }
  return name;
}

function functionSignature(name: string, fn: Function): string {
  const src = Function.prototype.toString.call(fn);
  const params = /^[^(]*\(([^)]*)\)/.exec(src)?.[1] ?? "";
  return src.startsWith("class") ? `class ${fn.name || name}` : `${name}(${params.replace(/\s+/g, " ").trim()})`;
}

function docFor(name: string, value: unknown): DocEntry | undefined {
  const d = loadDocs();
  const last = name.split(".").pop()!;
  const candidates = [name, last];
  if (typeof value === "function" && value.name) candidates.push(value.name);
  return candidates.map((c) => d[c]).find(Boolean);
}

/** The summary of a live non-function value named `name`, or undefined. */
async function valueLine(name: string, detailLevel: number): Promise<string | undefined> {
  if (!name) return undefined;
  const remote = await peek(name);
  const value = remote ? liveValue(remote) : undefined;
  releasePeeks();
  if (!remote || typeof value === "function") return undefined;
  const shown = toBundle(value)["text/plain"];
  const text = typeof shown === "string" ? shown : inspectPlain(value);
  return `Value: ${detailLevel > 0 ? text : text.length > 1000 ? text.slice(0, 1000) + " …" : text}`;
}

/** What inspect_request (and `x?`, `x??`, help(x)) shows: `data["text/plain"]`, found or not. */
export interface InspectResult {
  found: boolean;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export async function inspectAt(code: string, cursorPos: number, detailLevel: number): Promise<InspectResult> {
  const index = cpToIndex(code, cursorPos);
  const name = nameAt(code, index);
  const typed = await ask("inspect", { code, index, detail: detailLevel }, TYPED_WAIT_MS);
  if (typed) {
    const value = /^Kind: (variable|property)$/m.test(typed) ? await valueLine(name, detailLevel) : undefined;
    return { found: true, data: { "text/plain": value ? `${typed}\n${value}` : typed }, metadata: {} };
  }
  const notFound = { found: false, data: {}, metadata: {} };
  if (!name) return notFound;
  const remote = await peek(name);
  if (!remote) {
    releasePeeks();
    const doc = loadDocs()[name] ?? loadDocs()[name.split(".").pop()!];
    return doc ? { found: true, data: { "text/plain": `${doc.signature}\n\n${doc.doc}` }, metadata: {} } : notFound;
  }
  const value = liveValue(remote);
  releasePeeks();
  const lines: string[] = [];
  if (typeof value === "function") {
    const doc = docFor(name, value);
    lines.push(`Signature: ${doc?.signature ?? functionSignature(name, value)}`);
    if (doc?.doc) lines.push(`Docstring:\n${doc.doc}`);
    lines.push(`Type: ${/^class\b/.test(Function.prototype.toString.call(value)) ? "class" : "function"}`);
  } else {
    const type = value === null ? "null" : typeof value === "object" ? (value.constructor?.name ?? "Object") : typeof value;
    lines.push(`Type: ${type}`);
    const shown = toBundle(value)["text/plain"];
    const text = typeof shown === "string" ? shown : inspectPlain(value);
    lines.push(`Value: ${detailLevel > 0 ? text : text.length > 1000 ? text.slice(0, 1000) + " …" : text}`);
    const ctor = value && typeof value === "object" ? (value.constructor as Function | undefined) : undefined;
    const doc = ctor?.name ? loadDocs()[ctor.name] : undefined;
    if (doc?.doc) lines.push(`Docstring:\n${doc.doc}`);
  }
  return { found: true, data: { "text/plain": lines.join("\n") }, metadata: {} };
}
