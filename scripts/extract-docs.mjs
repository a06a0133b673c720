// Extracts signatures and TSDoc of the runtime's exported functions, classes and methods from
// src/ into dist/docs.json, which the kernel's inspect_request (Shift+Tab) shows.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

// Backend internals (kernel builders named like the public ops) are not the user's API.
const INTERNAL = /[\\/]backend[\\/](cpu|pool|webgpu)[\\/]/;

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  ).filter((f) => !INTERNAL.test(f));
}

function docOf(node, sf) {
  const ranges = ts.getLeadingCommentRanges(sf.text, node.getFullStart()) ?? [];
  const block = ranges.map((r) => sf.text.slice(r.pos, r.end)).filter((c) => c.startsWith("/**")).pop();
  if (!block) return "";
  return block.replace(/^\/\*\*\s?/, "").replace(/\*\/$/, "").split("\n").map((l) => l.replace(/^\s*\* ?/, "")).join("\n").trim();
}

function signatureOf(node, sf) {
  const text = sf.text.slice(node.getStart(sf), node.body ? node.body.getStart(sf) : node.getEnd());
  return text.replace(/\s+/g, " ").replace(/^export (default )?/, "").replace(/[{;]\s*$/, "").trim();
}

export function extractDocs(srcDir) {
  const docs = {};
  const add = (key, entry) => {
    if (!docs[key] || (!docs[key].doc && entry.doc)) docs[key] = entry;
  };
  for (const file of files(srcDir)) {
    const sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const exported = (n) => ts.getCombinedModifierFlags(n) & ts.ModifierFlags.Export;
    sf.forEachChild((node) => {
      if (ts.isFunctionDeclaration(node) && node.name && exported(node)) {
        add(node.name.text, { signature: signatureOf(node, sf), doc: docOf(node, sf) });
      } else if (ts.isClassDeclaration(node) && node.name && exported(node)) {
        const cls = node.name.text;
        const ctor = node.members.find(ts.isConstructorDeclaration);
        add(cls, { signature: ctor ? `new ${cls}${signatureOf(ctor, sf).replace(/^constructor/, "")}` : `class ${cls}`, doc: docOf(node, sf) });
        for (const m of node.members) {
          if ((ts.isMethodDeclaration(m) || ts.isGetAccessor(m)) && m.name && ts.isIdentifier(m.name)) {
            if (ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Private) continue;
            const entry = { signature: `${cls}.${signatureOf(m, sf)}`, doc: docOf(m, sf) };
            add(`${cls}.${m.name.text}`, entry);
            add(m.name.text, entry);
          }
        }
      } else if (ts.isVariableStatement(node) && exported(node)) {
        for (const d of node.declarationList.declarations) {
          if (ts.isIdentifier(d.name)) add(d.name.text, { signature: d.getText(sf).split("\n")[0].slice(0, 160), doc: docOf(node, sf) });
        }
      }
    });
  }
  return docs;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [src, out] = process.argv.slice(2);
  writeFileSync(out, JSON.stringify(extractDocs(src)));
}
