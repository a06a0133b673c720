// The 20-cell notebooks bench/kernel.mjs runs in each kernel (several times over, so cells are
// re-run as a student re-runs them): one on gradnote's runtime, one in plain TypeScript (for
// gradnote and tslab alike) and its Python translation (for ipykernel).

/** Training a small model with gradnote: tensors, nn, optim, types from "gradnote". */
const gradnote = [
  `import { randn, nn, optim, noGrad, manualSeed, type Tensor } from "gradnote";`,
  `manualSeed(0);\nconst x = randn([64, 4]);`,
  `const target = x.matmul(randn([4, 1])).add(0.1);`,
  `function mse(a: Tensor, b: Tensor): Tensor {\n  return a.sub(b).pow(2).mean();\n}`,
  `const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 1));`,
  `const opt = new optim.Adam(model.parameters(), { lr: 0.01 });`,
  `interface Step { step: number; loss: number }`,
  `const history: Step[] = [];`,
  `for (let step = 0; step < 5; step++) {\n  opt.zeroGrad();\n  const loss = mse(model.forward(x), target);\n  loss.backward();\n  opt.step();\n  history.push({ step, loss: loss.item() });\n}`,
  `history.length`,
  `const last = history[history.length - 1];\nlast.loss.toFixed(3)`,
  `const sizes = model.parameters().map((p) => p.shape.join("x"));`,
  `sizes.join(", ")`,
  `class Meter {\n  total = 0;\n  n = 0;\n  add(v: number) { this.total += v; this.n++; }\n  get mean() { return this.total / Math.max(1, this.n); }\n}`,
  `const meter = new Meter();\nhistory.forEach((h) => meter.add(h.loss));`,
  `meter.mean > 0`,
  `const pred = noGrad(() => model.forward(x));`,
  `pred.shape`,
  `const w0 = model.parameters()[0];\nw0.requiresGrad`,
  "`loss ${mse(pred, target).item().toFixed(4)}`",
];

/** Plain TypeScript: interfaces, generics, unions, maps, recursion, an enum. */
const typescript = [
  `interface Point { x: number; y: number }`,
  `const pts: Point[] = Array.from({ length: 100 }, (_, i) => ({ x: i, y: i * i }));`,
  `function dist(a: Point, b: Point): number {\n  return Math.hypot(a.x - b.x, a.y - b.y);\n}`,
  `const total = pts.reduce((s, p) => s + p.y, 0);`,
  `total + dist(pts[0], pts[1])`,
  `class Stack<T> {\n  private items: T[] = [];\n  push(v: T) { this.items.push(v); }\n  pop(): T | undefined { return this.items.pop(); }\n  get size() { return this.items.length; }\n}`,
  `const st = new Stack<number>();\nfor (const p of pts) st.push(p.x);`,
  `st.size`,
  `type Shape = { kind: "circle"; r: number } | { kind: "square"; s: number };`,
  `function area(s: Shape): number {\n  return s.kind === "circle" ? Math.PI * s.r ** 2 : s.s ** 2;\n}`,
  `area({ kind: "circle", r: 2 }).toFixed(2)`,
  `const words = "the quick brown fox jumps over the lazy dog".split(" ");`,
  `const counts = new Map<string, number>();\nfor (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);`,
  `counts.get("the")`,
  `const sorted = [...words].sort((a, b) => a.length - b.length || a.localeCompare(b));`,
  `sorted.slice(0, 3).join(",")`,
  `const fib = (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2));`,
  `fib(15)`,
  `enum Color { Red, Green, Blue }\nconst c: Color = Color.Green;`,
  `c === Color.Green`,
];

/** The plain TypeScript notebook, in Python. */
const python = [
  `from dataclasses import dataclass\n@dataclass\nclass Point:\n    x: float\n    y: float`,
  `pts = [Point(i, i * i) for i in range(100)]`,
  `import math\ndef dist(a: Point, b: Point) -> float:\n    return math.hypot(a.x - b.x, a.y - b.y)`,
  `total = sum(p.y for p in pts)`,
  `total + dist(pts[0], pts[1])`,
  `class Stack:\n    def __init__(self):\n        self.items = []\n    def push(self, v):\n        self.items.append(v)\n    def pop(self):\n        return self.items.pop() if self.items else None\n    @property\n    def size(self):\n        return len(self.items)`,
  `st = Stack()\nfor p in pts:\n    st.push(p.x)`,
  `st.size`,
  `from typing import Literal, TypedDict`,
  `def area(s: dict) -> float:\n    return math.pi * s["r"] ** 2 if s["kind"] == "circle" else s["s"] ** 2`,
  `f"{area({'kind': 'circle', 'r': 2}):.2f}"`,
  `words = "the quick brown fox jumps over the lazy dog".split(" ")`,
  `counts = {}\nfor w in words:\n    counts[w] = counts.get(w, 0) + 1`,
  `counts.get("the")`,
  `sorted_words = sorted(words, key=lambda w: (len(w), w))`,
  `",".join(sorted_words[:3])`,
  `def fib(n: int) -> int:\n    return n if n < 2 else fib(n - 1) + fib(n - 2)`,
  `fib(15)`,
  `from enum import Enum\nclass Color(Enum):\n    RED = 0\n    GREEN = 1\n    BLUE = 2\nc = Color.GREEN`,
  `c == Color.GREEN`,
];

export const NOTEBOOKS = { gradnote, typescript, python };
