/**
 * einsum: Einstein summation over labelled dims ("ij,jk->ik", "bij,bjk->bik", "ii->i",
 * "...ij,...jk->...ik"), composed of permute, reshape, expand, mul, matmul and sum so that
 * autograd comes for free. Operands are contracted pairwise from left to right.
 */
import { Tensor, tensorFromData } from "../tensor/tensor.js";
import { formatShape } from "../tensor/shape.js";
import { mul } from "./elementwise.js";
import { matmul } from "./matmul.js";
import { expand, permute, reshape } from "./movement.js";
import { sum } from "./reduce.js";

/** An operand with one label per dim ("#k" labels stand for the dims under "..."). */
interface Term {
  t: Tensor;
  labels: string[];
}

function fail(equation: string, msg: string): never {
  throw new Error(`einsum("${equation}"): ${msg}`);
}

/** Splits one subscript term into labels and whether (and where) it has "...". */
function parseTerm(equation: string, term: string): { letters: string[]; ellipsisAt: number } {
  const letters: string[] = [];
  let ellipsisAt = -1;
  for (let i = 0; i < term.length; i++) {
    if (term.startsWith("...", i)) {
      if (ellipsisAt >= 0) fail(equation, `"..." may appear only once per operand, got "${term}"`);
      ellipsisAt = letters.length;
      i += 2;
    } else if (/[a-zA-Z]/.test(term[i])) {
      letters.push(term[i]);
    } else {
      fail(equation, `invalid subscript ${JSON.stringify(term[i])} in "${term}"; subscripts are letters a-z, A-Z and "..."`);
    }
  }
  return { letters, ellipsisAt };
}

/** Removes the dims of `labels` by summing. */
function sumOut(term: Term, labels: readonly string[]): Term {
  const axes = term.labels.flatMap((l, i) => (labels.includes(l) ? [i] : []));
  if (axes.length === 0) return term;
  return { t: sum(term.t, axes, false), labels: term.labels.filter((l) => !labels.includes(l)) };
}

/** Reorders dims to `order` (every label of `term`, once each). */
function permuteTo(term: Term, order: readonly string[]): Tensor {
  const perm = order.map((l) => term.labels.indexOf(l));
  return perm.every((p, i) => p === i) ? term.t : permute(term.t, perm);
}

/** Takes the diagonal over labels that repeat inside one operand ("ii->i"): x · eye, summed. */
function diagonals(equation: string, term: Term): Term {
  let { t, labels } = term;
  for (let q = labels.length - 1; q > 0; q--) {
    const p = labels.indexOf(labels[q]);
    if (p === q) continue;
    const n = t.shape[p];
    if (t.shape[q] !== n) fail(equation, `subscript ${labels[q]} is repeated for dims of different sizes ${t.shape[p]} and ${t.shape[q]}`);
    const eyeData = new Float64Array(n * n);
    for (let i = 0; i < n; i++) eyeData[i * n + i] = 1;
    const maskShape = labels.map((_, i) => (i === p || i === q ? n : 1));
    const mask = tensorFromData(eyeData, maskShape, t.dtype === "bool" ? "float32" : t.dtype, t.device);
    t = sum(mul(t, mask), [q], false);
    labels = labels.filter((_, i) => i !== q);
  }
  return { t, labels };
}

/** Contracts two operands, keeping the labels in `keep` and summing the shared rest. */
function contract(a: Term, b: Term, keep: ReadonlySet<string>, size: ReadonlyMap<string, number>): Term {
  a = sumOut(a, a.labels.filter((l) => !keep.has(l) && !b.labels.includes(l)));
  b = sumOut(b, b.labels.filter((l) => !keep.has(l) && !a.labels.includes(l)));
  const batch = a.labels.filter((l) => b.labels.includes(l) && keep.has(l));
  const summed = a.labels.filter((l) => b.labels.includes(l) && !keep.has(l));
  const left = a.labels.filter((l) => !b.labels.includes(l));
  const right = b.labels.filter((l) => !a.labels.includes(l));
  const dims = (ls: readonly string[]): number[] => ls.map((l) => size.get(l)!);
  if (summed.length === 0) {
    // Nothing to contract: a broadcast product.
    const at = reshape(permuteTo(a, [...batch, ...left]), [...dimsOf(a, batch), ...dimsOf(a, left), ...right.map(() => 1)]);
    const bt = reshape(permuteTo(b, [...batch, ...right]), [...dimsOf(b, batch), ...left.map(() => 1), ...dimsOf(b, right)]);
    return { t: mul(at, bt), labels: [...batch, ...left, ...right] };
  }
  const ae = expand(permuteTo(a, [...batch, ...left, ...summed]), dims([...batch, ...left, ...summed]));
  const be = expand(permuteTo(b, [...batch, ...summed, ...right]), dims([...batch, ...summed, ...right]));
  const prod = (ls: readonly string[]): number => dims(ls).reduce((p, s) => p * s, 1);
  const [B, M, K, N] = [prod(batch), prod(left), prod(summed), prod(right)];
  const out = matmul(reshape(ae, [B, M, K]), reshape(be, [B, K, N]));
  return { t: reshape(out, dims([...batch, ...left, ...right])), labels: [...batch, ...left, ...right] };
}

/** Sizes of `labels` in `term`'s tensor (which may still hold broadcast 1s). */
function dimsOf(term: Term, labels: readonly string[]): number[] {
  return labels.map((l) => term.t.shape[term.labels.indexOf(l)]);
}

/**
 * Einstein summation, as `torch.einsum`: `einsum("ij,jk->ik", a, b)` (matrix product),
 * `einsum("bij,bjk->bik", a, b)`, `einsum("ii->i", a)` (diagonal), `einsum("ij->ji", a)`,
 * `einsum("i,i->", a, b)` (dot), `einsum("i,j->ij", a, b)` (outer), `"...ij,...jk->...ik"`.
 * Without "->" the output holds the labels seen once, in alphabetical order. Operands may
 * also come as one array: `einsum("ij,jk", [a, b])`.
 */
export function einsum(equation: string, ...operands: (Tensor | readonly Tensor[])[]): Tensor {
  const ops = (operands.length === 1 && Array.isArray(operands[0]) ? operands[0] : operands) as readonly Tensor[];
  if (typeof equation !== "string") throw new Error(`einsum: the first argument must be the equation string, got ${typeof equation}`);
  const eq = equation.replace(/\s+/g, "");
  const arrow = eq.indexOf("->");
  const lhs = arrow >= 0 ? eq.slice(0, arrow) : eq;
  const terms = lhs.split(",");
  if (terms.length !== ops.length) fail(equation, `the equation has ${terms.length} operand(s) but ${ops.length} tensor(s) were given`);
  ops.forEach((t, i) => {
    if (!(t instanceof Tensor)) fail(equation, `operand ${i} is not a Tensor`);
  });
  const parsed = terms.map((term) => parseTerm(equation, term));
  // Dims under "..." line up from the right across operands and broadcast, as in PyTorch.
  let ellipsisDims = 0;
  parsed.forEach((p, i) => {
    const extra = ops[i].ndim - p.letters.length;
    if (extra < 0 || (p.ellipsisAt < 0 && extra !== 0)) {
      fail(equation, `operand ${i} has ${ops[i].ndim} dims (shape ${formatShape(ops[i].shape)}) but subscripts "${terms[i]}" name ${p.letters.length}`);
    }
    ellipsisDims = Math.max(ellipsisDims, extra);
  });
  const ell = Array.from({ length: ellipsisDims }, (_, k) => `#${k}`);
  const inputs: Term[] = parsed.map((p, i) => {
    const extra = ops[i].ndim - p.letters.length;
    const labels = p.ellipsisAt < 0 ? p.letters : [...p.letters.slice(0, p.ellipsisAt), ...ell.slice(ellipsisDims - extra), ...p.letters.slice(p.ellipsisAt)];
    return { t: ops[i], labels };
  });
  const size = new Map<string, number>();
  inputs.forEach((term, i) => term.labels.forEach((l, d) => {
    const n = term.t.shape[d];
    const first = term.labels.indexOf(l);
    if (first !== d && term.t.shape[first] !== n) {
      fail(equation, `subscript ${l} is repeated in operand ${i} for dims of different sizes ${term.t.shape[first]} and ${n}`);
    }
    const prev = size.get(l);
    if (prev === undefined || prev === 1) size.set(l, n);
    else if (n !== prev && n !== 1) {
      const name = l.startsWith("#") ? `"..." dim` : `subscript ${l}`;
      fail(equation, `${name} has size ${n} in operand ${i} (shape ${formatShape(term.t.shape)}) but ${prev} elsewhere`);
    }
  }));
  let output: string[];
  if (arrow >= 0) {
    const out = parseTerm(equation, eq.slice(arrow + 2));
    output = out.ellipsisAt < 0 ? out.letters : [...out.letters.slice(0, out.ellipsisAt), ...ell, ...out.letters.slice(out.ellipsisAt)];
    for (const l of out.letters) {
      if (!size.has(l)) fail(equation, `output subscript ${l} does not appear in any operand`);
      if (out.letters.indexOf(l) !== out.letters.lastIndexOf(l)) fail(equation, `output subscript ${l} appears more than once`);
    }
  } else {
    const counts = new Map<string, number>();
    for (const term of parsed) for (const l of term.letters) counts.set(l, (counts.get(l) ?? 0) + 1);
    output = [...ell, ...[...counts.keys()].filter((l) => counts.get(l) === 1).sort()];
  }
  const terms2 = inputs.map((term) => diagonals(equation, term));
  let acc = terms2[0];
  for (let i = 1; i < terms2.length; i++) {
    const keep = new Set<string>([...output, ...terms2.slice(i + 1).flatMap((t) => t.labels)]);
    acc = contract(acc, terms2[i], keep, size);
  }
  acc = sumOut(acc, acc.labels.filter((l) => !output.includes(l)));
  const result = permuteTo(acc, output);
  const target = output.map((l) => size.get(l)!);
  return result.shape.every((s, i) => s === target[i]) ? result : expand(result, target);
}
