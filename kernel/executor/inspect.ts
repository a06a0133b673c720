/**
 * inspect_request (Shift+Tab in JupyterLab): the signature and TSDoc of runtime API functions
 * (from dist/docs.json, extracted from src/ at build time), the type and a summary of values.
 */
import { existsSync, readFileSync } from "node:fs";
import { cpToIndex } from "./complete.js";
import { inspectPlain, toBundle } from "./display.js";
import { liveValue, peek, releasePeeks } from "./evaluate.js";

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

export async function inspectAt(code: string, cursorPos: number, detailLevel: number): Promise<{ found: boolean; data: Record<string, unknown>; metadata: Record<string, unknown> }> {
  const name = nameAt(code, cpToIndex(code, cursorPos));
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
    if (detailLevel > 0) lines.push(`Source:\n${Function.prototype.toString.call(value)}`);
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
