/**
 * inspect_request from types: the symbol at the cursor (or the function being called), its
 * signatures, its TSDoc, and the options objects it takes expanded field by field with their
 * defaults (TSDoc `@default`, else a `[value]` in the field's doc). Detail 1 adds the
 * declaration's source, never compiled JavaScript. Plain text; the kernel side is inspect.ts.
 */
import ts from "typescript";

/** The identifier at (or just before) pos, else the callee of the call whose arguments hold pos. */
function targetAt(sf: ts.SourceFile, pos: number): ts.Identifier | undefined {
  let best: ts.Identifier | undefined;
  let call: ts.CallExpression | ts.NewExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (pos < n.getFullStart() || pos > n.getEnd()) return;
    if (ts.isIdentifier(n) && n.getStart(sf) <= pos && pos <= n.getEnd()) best = n;
    if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && n.arguments && n.arguments.pos <= pos && pos <= n.getEnd()) call = n;
    n.forEachChild(visit);
  };
  sf.forEachChild(visit);
  if (best) return best;
  const callee = (call as ts.CallExpression | ts.NewExpression | undefined)?.expression;
  if (!callee) return undefined;
  if (ts.isIdentifier(callee)) return callee;
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.name)) return callee.name;
  return undefined;
}

function docText(parts: ts.SymbolDisplayPart[] | undefined): string {
  return ts.displayPartsToString(parts ?? []).trim();
}

/** The default of an options field: `@default` tag, else `[value]` in its doc. */
function defaultOf(sym: ts.Symbol, checker: ts.TypeChecker): string | undefined {
  const tag = sym.getJsDocTags(checker).find((t) => t.name === "default" || t.name === "defaultValue");
  if (tag) return docText(tag.text).replace(/^`|`$/g, "");
  const doc = docText(sym.getDocumentationComment(checker));
  return /\[([^\]]+)\]/.exec(doc)?.[1];
}

/** Object types worth expanding: `…Options`/`…Config` interfaces and inline object types. */
function optionTypes(type: ts.Type, checker: ts.TypeChecker): ts.Type[] {
  const parts = type.isUnion() ? type.types : [type];
  return parts.filter((t) => {
    if (!(t.flags & ts.TypeFlags.Object) || checker.getPropertiesOfType(t).length === 0) return false;
    const name = (t.aliasSymbol ?? t.getSymbol())?.getName() ?? "";
    if (/(Options|Config|Opts)$/.test(name)) return true;
    return name === "__type" && t.getCallSignatures().length === 0;
  });
}

function expandOptions(type: ts.Type, checker: ts.TypeChecker, where: ts.Node): string[] {
  const name = (type.aliasSymbol ?? type.getSymbol())?.getName();
  const lines = [`${name && name !== "__type" ? name : "options"}:`];
  for (const p of checker.getPropertiesOfType(type)) {
    const optional = p.flags & ts.SymbolFlags.Optional ? "?" : "";
    let t = checker.typeToString(checker.getTypeOfSymbolAtLocation(p, where), undefined, ts.TypeFormatFlags.NoTruncation);
    if (optional) t = t.replace(/ \| undefined$/, "");
    const def = defaultOf(p, checker);
    const doc = docText(p.getDocumentationComment(checker)).split("\n")[0];
    lines.push(`  ${p.getName()}${optional}: ${t}${def !== undefined ? ` (default ${def})` : ""}${doc ? ` — ${doc}` : ""}`);
  }
  return lines;
}

/** `x?: T | undefined` is how the checker prints an optional parameter or field; `x?: T` reads better. */
function tidy(text: string): string {
  return text.replace(/\?: ([^,;()]*?) \| undefined(?=[,;)])/g, "?: $1");
}

function tagsText(sym: ts.Symbol | ts.Signature, checker: ts.TypeChecker): string {
  const tags = sym.getJsDocTags(checker).filter((t) => !["default", "defaultValue", "internal"].includes(t.name));
  return tags.map((t) => `@${t.name} ${docText(t.text)}`.trim()).join("\n");
}

function declarationSource(sym: ts.Symbol): string[] {
  const out: string[] = [];
  for (const d of sym.declarations ?? []) {
    const sf = d.getSourceFile();
    const lines = sf.text.slice(d.getStart(sf), d.getEnd()).split("\n");
    out.push(lines.length > 120 ? [...lines.slice(0, 120), `… (${lines.length - 120} more lines)`].join("\n") : lines.join("\n"));
    out.push(`(${sf.fileName.replace(/.*\/__gradnote__\/context\.ts$/, "defined in an earlier cell").replace(/.*\/dist\/types\//, "gradnote: ")})`);
  }
  return out;
}

/** Plain-text help for the symbol at `pos` of the cell file, or undefined when there is none. */
export function inspectSymbol(checker: ts.TypeChecker, sf: ts.SourceFile, pos: number, detail: number): string | undefined {
  const id = targetAt(sf, pos);
  if (!id) return undefined;
  let sym = checker.getSymbolAtLocation(id);
  if (!sym) return undefined;
  if (sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
  const decl = sym.declarations?.[0];
  const where: ts.Node = id;
  const type = checker.getTypeOfSymbolAtLocation(sym, where);
  const label = id.parent && ts.isPropertyAccessExpression(id.parent) && id.parent.name === id ? `${id.parent.expression.getText(sf)}.${id.text}` : id.text;
  const lines: string[] = [];
  const sigs: readonly ts.Signature[] = sym.flags & ts.SymbolFlags.Class ? type.getConstructSignatures() : type.getCallSignatures();
  const fmt = ts.TypeFormatFlags.NoTruncation;
  let kind: string;
  if (sym.flags & ts.SymbolFlags.Class) {
    kind = "class";
    const heritage = decl && ts.isClassLike(decl) ? decl.heritageClauses?.map((h) => h.getText()).join(" ") : "";
    lines.push(`Class: ${label}${heritage ? ` ${heritage}` : ""}`);
    for (const s of sigs) lines.push(`Signature: new ${label}${checker.signatureToString(s, undefined, fmt).replace(/:\s*[^:)]*$/, "")}`);
  } else if (sigs.length > 0) {
    kind = sym.flags & ts.SymbolFlags.Method ? "method" : "function";
    for (const s of sigs) lines.push(`Signature: ${label}${checker.signatureToString(s, undefined, fmt)}`);
  } else if (sym.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) {
    kind = sym.flags & ts.SymbolFlags.Interface ? "interface" : "type";
  } else if (sym.flags & (ts.SymbolFlags.Module | ts.SymbolFlags.Namespace)) {
    kind = "namespace";
    const members = checker.getExportsOfModule(sym).map((m) => m.getName()).filter((n) => !n.startsWith("_") && n !== "default");
    lines.push(`Namespace: ${label}`, `Members: ${members.sort().join(", ")}`);
  } else {
    kind = sym.flags & ts.SymbolFlags.Property ? "property" : "variable";
    lines.push(`Type: ${checker.typeToString(checker.getTypeAtLocation(id), undefined, ts.TypeFormatFlags.NoTruncation)}`);
  }
  const doc = docText(sym.getDocumentationComment(checker)) || (sigs[0] ? docText(sigs[0].getDocumentationComment(checker)) : "");
  const tags = tagsText(sym, checker);
  if (doc || tags) lines.push(`Docstring:\n${[doc, tags].filter(Boolean).join("\n")}`);
  // Options objects the signatures take, and the fields of an options interface itself.
  const seen = new Set<ts.Type>();
  const expand = (t: ts.Type) => {
    for (const o of optionTypes(t, checker)) {
      if (seen.has(o)) continue;
      seen.add(o);
      lines.push(...expandOptions(o, checker, where));
    }
  };
  for (const s of sigs) for (const p of s.getParameters()) expand(checker.getTypeOfSymbolAtLocation(p, where));
  if (kind === "interface" || kind === "type") {
    const declared = checker.getDeclaredTypeOfSymbol(sym);
    lines.unshift(`${kind === "interface" ? "Interface" : "Type"}: ${label}`);
    if (checker.getPropertiesOfType(declared).length) lines.push(...expandOptions(declared, checker, where));
  }
  lines.push(`Kind: ${kind}`);
  if (detail > 0) {
    const src = declarationSource(sym);
    if (src.length) lines.push(`Declaration:\n${src.join("\n")}`);
  }
  return tidy(lines.join("\n"));
}
