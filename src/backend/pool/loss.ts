/**
 * Softmax + cross-entropy of the pool backend in one pass over logits [N, C]: the summed loss
 * and, while the softmax is at hand, the gradient of that sum (softmax − one-hot), which the
 * op scales in backward. Twenty-odd small ops of the composed loss become one.
 */
import type { DataBuffer, View } from "../backend.js";
import { cpuData } from "../cpu/buffer.js";

/**
 * Writes d(Σ loss)/d logits into `grad` (contiguous [N, C]) and returns the loss summed over
 * the rows whose target is not `ignoreIndex`, and how many rows those are.
 */
export function crossEntropyRows(grad: DataBuffer, logits: View, target: View, ignoreIndex: number): { sum: number; count: number } {
  const [N, C] = logits.shape;
  const X = cpuData(logits.buf), T = cpuData(target.buf), G = cpuData(grad);
  const rs = logits.strides[0], cs = logits.strides[1], ts = target.strides[0];
  let sum = 0, count = 0;
  for (let i = 0; i < N; i++) {
    const t = T[target.offset + i * ts], base = logits.offset + i * rs, g = i * C;
    if (t === ignoreIndex) {
      for (let j = 0; j < C; j++) G[g + j] = 0;
      continue;
    }
    if (t < 0 || t >= C) throw new Error(`crossEntropy: target contains a class index outside [0, ${C}) (input [${N},${C}])`);
    let max = -Infinity;
    for (let j = 0; j < C; j++) {
      const v = X[base + j * cs];
      if (v > max || v !== v) max = v;
    }
    let s = 0;
    for (let j = 0; j < C; j++) s += Math.exp(X[base + j * cs] - max);
    const lse = max + Math.log(s);
    sum += lse - X[base + t * cs];
    count++;
    for (let j = 0; j < C; j++) G[g + j] = Math.exp(X[base + j * cs] - lse) - (j === t ? 1 : 0);
  }
  return { sum, count };
}
