/**
 * The notebook as TypeScript sees it: the cells executed so far, reduced to their top-level
 * declarations, the latest declaration of each name winning (as V8's REPL mode lets a re-run
 * cell declare `const x` again). Pure text in, text out; the language service is in service.ts.
 */
import ts from "typescript";

/** One top-level declaration kept from an executed cell. */
interface Kept {
  /** Names it declares (several for a destructuring `const { a, b } = …`). */
  names: string[];
  text: string;
  /** Order of execution (cell number, then position), so the context reads in run order. */
  order: number;
}

function strip(text: string, node: ts.Node, sf: ts.SourceFile, kinds: ts.SyntaxKind[]): string {
  const mods = (ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined) ?? [];
  const start = node.getStart(sf);
  let out = text;
  // Back to front, so earlier offsets stay valid.
  for (const m of [...mods].reverse()) {
    if (kinds.includes(m.kind)) out = out.slice(0, m.getStart(sf) - start) + out.slice(m.getEnd() - start).replace(/^\s+/, "");
  }
  return out;
}

/** The TSDoc block just before a statement, kept so inspect shows a cell's own docs. */
function docBefore(st: ts.Statement, sf: ts.SourceFile): string {
  const block = (ts.getLeadingCommentRanges(sf.text, st.getFullStart()) ?? []).filter((r) => sf.text.startsWith("/**", r.pos)).pop();
  return block ? sf.text.slice(block.pos, block.end) + "\n" : "";
}

function bindingNames(name: ts.BindingName, out: string[]): void {
  if (ts.isIdentifier(name)) out.push(name.text);
  else for (const e of name.elements) if (!ts.isOmittedExpression(e)) bindingNames(e.name, out);
}

/**
 * The top-level declarations of a cell, each with the names it declares. Imports are split per
 * binding and `const a = 1, b = 2` per declarator, so redeclaring one name drops only its part.
 */
export function declarationsOf(code: string): { names: string[]; text: string }[] {
  const sf = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: { names: string[]; text: string }[] = [];
  const exportMods = [ts.SyntaxKind.ExportKeyword, ts.SyntaxKind.DefaultKeyword];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      const clause = st.importClause;
      if (!clause || !ts.isStringLiteral(st.moduleSpecifier)) continue;
      const from = JSON.stringify(st.moduleSpecifier.text);
      const type = clause.isTypeOnly ? "type " : "";
      if (clause.name) out.push({ names: [clause.name.text], text: `import ${type}${clause.name.text} from ${from};` });
      const nb = clause.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) out.push({ names: [nb.name.text], text: `import ${type}* as ${nb.name.text} from ${from};` });
      else if (nb) {
        for (const el of nb.elements) {
          const spec = el.getText(sf);
          out.push({ names: [el.name.text], text: `import ${type}{ ${spec} } from ${from};` });
        }
      }
    } else if (ts.isImportEqualsDeclaration(st)) {
      out.push({ names: [st.name.text], text: strip(st.getText(sf), st, sf, exportMods) });
    } else if (ts.isVariableStatement(st)) {
      const list = st.declarationList;
      const keyword = list.flags & ts.NodeFlags.Const ? "const" : list.flags & ts.NodeFlags.Let ? "let" : "var";
      const declare = ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword) ? "declare " : "";
      for (const d of list.declarations) {
        const names: string[] = [];
        bindingNames(d.name, names);
        if (names.length) out.push({ names, text: `${docBefore(st, sf)}${declare}${keyword} ${d.getText(sf)};` });
      }
    } else if (
      (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) ||
        ts.isEnumDeclaration(st) || ts.isModuleDeclaration(st)) && st.name && ts.isIdentifier(st.name)
    ) {
      out.push({ names: [st.name.text], text: docBefore(st, sf) + strip(st.getText(sf), st, sf, exportMods) });
    }
  }
  return out;
}

/** The cells executed so far, as the declarations they left behind. */
export class CellHistory {
  private kept: Kept[] = [];
  private cells = 0;

  /** Records a cell that ran: its declarations replace earlier ones of the same names. */
  commit(code: string): boolean {
    const decls = declarationsOf(code);
    if (decls.length === 0) return false;
    const declared = new Set(decls.flatMap((d) => d.names));
    const cell = ++this.cells;
    const next: Kept[] = [];
    for (const k of this.kept) {
      const gone = k.names.filter((n) => declared.has(n));
      if (gone.length === 0) next.push(k);
      else if (gone.length < k.names.length) {
        // Part of a destructuring was declared again: the rest stays known, untyped.
        const rest = k.names.filter((n) => !declared.has(n));
        next.push({ names: rest, text: rest.map((n) => `declare let ${n}: any;`).join(" "), order: k.order });
      }
    }
    decls.forEach((d, i) => next.push({ ...d, order: cell * 10_000 + i }));
    this.kept = next.sort((a, b) => a.order - b.order);
    return true;
  }

  /** Every name the context declares. */
  names(): string[] {
    return [...new Set(this.kept.flatMap((k) => k.names))];
  }

  /** The context module: every kept declaration, then one export of all their names. */
  text(): string {
    const names = this.names();
    return `${this.kept.map((k) => k.text).join("\n")}\nexport { ${names.join(", ")} };\n`;
  }
}
