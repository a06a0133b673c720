/**
 * Convolution and pooling kernels of the cpu backend: im2col/col2im (convolution is a matmul
 * over the unfolded input, composed in src/ops/conv.ts), max, average and adaptive pooling.
 * Inputs are [n, c, h, w]; 1-D variants reach here with h = 1.
 */
import type { DataBuffer, View, Window2d } from "../backend.js";
import { cpuData, denseData } from "./buffer.js";

/** x [n, c, h, w] → out [n, c·kh·kw, oh·ow], zero where the window covers padding. */
export function im2col(out: DataBuffer, x: View, w: Window2d): void {
  const [N, C, H, W] = x.shape;
  const { data: X, offset } = denseData(x);
  const O = cpuData(out);
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = offset + (n * C + c) * H * W;
      for (let i = 0; i < w.kh; i++) {
        for (let j = 0; j < w.kw; j++) {
          for (let y = 0; y < w.oh; y++) {
            const iy = y * w.sh - w.ph + i * w.dh;
            if (iy < 0 || iy >= H) {
              for (let xx = 0; xx < w.ow; xx++) O[o++] = 0;
              continue;
            }
            const row = plane + iy * W;
            for (let xx = 0; xx < w.ow; xx++) {
              const ix = xx * w.sw - w.pw + j * w.dw;
              O[o++] = ix >= 0 && ix < W ? X[row + ix] : 0;
            }
          }
        }
      }
    }
  }
}

/** Adds cols [n, c·kh·kw, oh·ow] back into out [n, c, h, w] (the adjoint of im2col). */
export function col2im(out: DataBuffer, cols: View, shape: readonly number[], w: Window2d): void {
  const [N, C, H, W] = shape;
  const { data: S, offset } = denseData(cols);
  const O = cpuData(out);
  O.fill(0);
  let s = offset;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = (n * C + c) * H * W;
      for (let i = 0; i < w.kh; i++) {
        for (let j = 0; j < w.kw; j++) {
          for (let y = 0; y < w.oh; y++) {
            const iy = y * w.sh - w.ph + i * w.dh;
            if (iy < 0 || iy >= H) {
              s += w.ow;
              continue;
            }
            const row = plane + iy * W;
            for (let xx = 0; xx < w.ow; xx++, s++) {
              const ix = xx * w.sw - w.pw + j * w.dw;
              if (ix >= 0 && ix < W) O[row + ix] += S[s];
            }
          }
        }
      }
    }
  }
}

/** Max pooling; padding acts as -Infinity, indices are flat positions in the h·w plane. */
export function maxPool2d(out: DataBuffer, indices: DataBuffer, x: View, w: Window2d): void {
  const [N, C, H, W] = x.shape;
  const { data: X, offset } = denseData(x);
  const O = cpuData(out), I = cpuData(indices);
  let o = 0;
  for (let p = 0; p < N * C; p++) {
    const plane = offset + p * H * W;
    for (let y = 0; y < w.oh; y++) {
      for (let xx = 0; xx < w.ow; xx++, o++) {
        let best = -Infinity, at = -1;
        for (let i = 0; i < w.kh; i++) {
          const iy = y * w.sh - w.ph + i * w.dh;
          if (iy < 0 || iy >= H) continue;
          for (let j = 0; j < w.kw; j++) {
            const ix = xx * w.sw - w.pw + j * w.dw;
            if (ix < 0 || ix >= W) continue;
            const v = X[plane + iy * W + ix];
            if (v > best || v !== v || at < 0) {
              best = v;
              at = iy * W + ix;
              if (v !== v) break;
            }
          }
        }
        O[o] = best;
        I[o] = at;
      }
    }
  }
}

/** Routes grad [n, c, oh, ow] to the argmax positions in out [n, c, h, w]. */
export function maxPool2dBackward(out: DataBuffer, grad: View, indices: View, shape: readonly number[]): void {
  const [N, C, H, W] = shape;
  const G = denseData(grad), I = denseData(indices);
  const O = cpuData(out);
  O.fill(0);
  const per = grad.shape[2] * grad.shape[3];
  for (let p = 0; p < N * C; p++) {
    for (let q = 0; q < per; q++) {
      const k = p * per + q;
      O[p * H * W + I.data[I.offset + k]] += G.data[G.offset + k];
    }
  }
}

/** Average pooling counting padded cells in the divisor (PyTorch's count_include_pad=True). */
export function avgPool2d(out: DataBuffer, x: View, w: Window2d): void {
  const [N, C, H, W] = x.shape;
  const { data: X, offset } = denseData(x);
  const O = cpuData(out);
  const area = w.kh * w.kw;
  let o = 0;
  for (let p = 0; p < N * C; p++) {
    const plane = offset + p * H * W;
    for (let y = 0; y < w.oh; y++) {
      for (let xx = 0; xx < w.ow; xx++, o++) {
        let s = 0;
        for (let i = 0; i < w.kh; i++) {
          const iy = y * w.sh - w.ph + i;
          if (iy < 0 || iy >= H) continue;
          for (let j = 0; j < w.kw; j++) {
            const ix = xx * w.sw - w.pw + j;
            if (ix >= 0 && ix < W) s += X[plane + iy * W + ix];
          }
        }
        O[o] = s / area;
      }
    }
  }
}

/** Spreads grad [n, c, oh, ow] evenly over each window of out [n, c, h, w]. */
export function avgPool2dBackward(out: DataBuffer, grad: View, shape: readonly number[], w: Window2d): void {
  const [N, C, H, W] = shape;
  const { data: G, offset } = denseData(grad);
  const O = cpuData(out);
  O.fill(0);
  const area = w.kh * w.kw;
  let g = offset;
  for (let p = 0; p < N * C; p++) {
    const plane = p * H * W;
    for (let y = 0; y < w.oh; y++) {
      for (let xx = 0; xx < w.ow; xx++, g++) {
        const v = G[g] / area;
        for (let i = 0; i < w.kh; i++) {
          const iy = y * w.sh - w.ph + i;
          if (iy < 0 || iy >= H) continue;
          for (let j = 0; j < w.kw; j++) {
            const ix = xx * w.sw - w.pw + j;
            if (ix >= 0 && ix < W) O[plane + iy * W + ix] += v;
          }
        }
      }
    }
  }
}

function bounds(i: number, inSize: number, outSize: number): [number, number] {
  return [Math.floor((i * inSize) / outSize), Math.ceil(((i + 1) * inSize) / outSize)];
}

/** Adaptive average pooling: output cell i covers [floor(i·H/oh), ceil((i+1)·H/oh)). */
export function adaptiveAvgPool2d(out: DataBuffer, x: View, oh: number, ow: number): void {
  const [N, C, H, W] = x.shape;
  const { data: X, offset } = denseData(x);
  const O = cpuData(out);
  let o = 0;
  for (let p = 0; p < N * C; p++) {
    const plane = offset + p * H * W;
    for (let y = 0; y < oh; y++) {
      const [y0, y1] = bounds(y, H, oh);
      for (let xx = 0; xx < ow; xx++, o++) {
        const [x0, x1] = bounds(xx, W, ow);
        let s = 0;
        for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) s += X[plane + iy * W + ix];
        O[o] = s / ((y1 - y0) * (x1 - x0));
      }
    }
  }
}

/** Adjoint of adaptiveAvgPool2d. */
export function adaptiveAvgPool2dBackward(out: DataBuffer, grad: View, shape: readonly number[]): void {
  const [N, C, H, W] = shape;
  const oh = grad.shape[2], ow = grad.shape[3];
  const { data: G, offset } = denseData(grad);
  const O = cpuData(out);
  O.fill(0);
  let g = offset;
  for (let p = 0; p < N * C; p++) {
    const plane = p * H * W;
    for (let y = 0; y < oh; y++) {
      const [y0, y1] = bounds(y, H, oh);
      for (let xx = 0; xx < ow; xx++, g++) {
        const [x0, x1] = bounds(xx, W, ow);
        const v = G[g] / ((y1 - y0) * (x1 - x0));
        for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) O[plane + iy * W + ix] += v;
      }
    }
  }
}
