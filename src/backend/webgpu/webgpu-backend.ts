/**
 * The webgpu backend: implements the Backend interface by building WGSL programs (wgsl/) and
 * queuing them on the device worker (device.ts). Kernels it lacks, and shapes past its limits,
 * run on the cpu reference kernels through a read-compute-write fallback instead of throwing.
 */
import { dtypeMissing, type Backend, type DataBuffer, type LinearActivation, type MapOp, type OptimizerUpdate, type ReduceOp, type View, type Window2d } from "../backend.js";
import { CpuBuffer, coalesce } from "../cpu/buffer.js";
import { createCpuBackend } from "../cpu/cpu-backend.js";
import { allocTyped, isFloating, type DType, type TypedArray } from "../../tensor/dtype.js";
import { Device } from "./device.js";
import { Params, type Program } from "./wgsl/common.js";
import { elementwise } from "./wgsl/elementwise.js";
import { reduce } from "./wgsl/reduce.js";
import { MATMUL_MAX_BATCH_DIMS, matmul } from "./wgsl/matmul.js";
import { windowKernel, type WindowKind } from "./wgsl/window.js";
import { indexKernel, type IndexKind } from "./wgsl/indexing.js";
import { OPTIM_WORDS, optimKernel, optimStateCount, type OptimSpec } from "./wgsl/optim.js";
import { gruCellBackwardKernel, gruCellKernel, lstmCellBackwardKernel, lstmCellKernel } from "./wgsl/recurrent.js";

/** Storage of the webgpu backend: an id naming a GPUBuffer held by the device worker. */
export class GpuBuffer implements DataBuffer {
  constructor(readonly backend: string, readonly dtype: DType, readonly size: number, readonly id: number) {}
}

const MAX_RANK = 8;

/**
 * The dtypes a 32-bit buffer word holds; float64 is refused (see Backend.dtypes). int64 is
 * stored in i32 words: a value beyond ±2^31 is refused when written, never wrapped.
 */
const DTYPES: readonly DType[] = ["float32", "int32", "int64", "bool"];

/** Elementwise ops whose int64 result can leave the 32-bit range of its inputs. */
const INT64_OVERFLOWING = new Set<MapOp>(["add", "sub", "mul", "pow", "addScaled", "powScalar", "rpowScalar", "square", "neg", "abs"]);

/** Checks that int64 values fit the i32 words the webgpu backend stores them in. */
function int64Words(name: string, data: ArrayLike<number>): Int32Array {
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!(v >= -2147483648 && v <= 2147483647)) {
      throw new RangeError(`${name}: int64 value ${v} does not fit the 32-bit words the ${name} backend stores int64 in; keep such tensors on cpu (x.to("cpu"))`);
    }
    out[i] = v;
  }
  return out;
}
const GAPS = { float64: "WGSL has no f64" } as const;

/** Maps a device buffer or view to a cpu copy, for the fallback path. */
type ToCpu = { (x: View): View; (x: DataBuffer): DataBuffer };

/** The backend plus what the report needs (adapter, device statistics). */
export interface WebgpuBackend extends Backend {
  readonly device: Device;
  /** Kernel calls that ran on the cpu fallback since start, by name. */
  readonly fallbacks: Map<string, number>;
}

/** Creates the backend on an already started device. */
export function createWebgpuBackend(device: Device, name = "webgpu"): WebgpuBackend {
  const cpu = createCpuBackend(`${name}-fallback`);
  const fallbacks = new Map<string, number>();

  const gpu = (b: DataBuffer): GpuBuffer => {
    if (b instanceof GpuBuffer) return b;
    throw new Error(`${name}: buffer belongs to backend "${b.backend}"`);
  };
  const run = (prog: Program, bufs: readonly DataBuffer[], params: Params): void => {
    device.push({
      t: "run", key: prog.cacheKey, code: device.hasProgram(prog.cacheKey) ? undefined : prog.code,
      bufs: bufs.map((b) => gpu(b).id), params: params.words, grid: prog.dispatch,
    });
  };
  const readSync = (buf: DataBuffer): TypedArray => {
    const b = gpu(buf);
    const raw = device.readSync(b.id, 0, b.size * 4);
    const out = allocTyped(b.dtype, b.size);
    const src = b.dtype === "int32" || b.dtype === "int64" ? new Int32Array(raw) : b.dtype === "bool" ? new Uint32Array(raw) : new Float32Array(raw);
    out.set(src);
    return out;
  };
  const write = (buf: DataBuffer, data: ArrayLike<number>, offset = 0): void => {
    const b = gpu(buf);
    const arr = b.dtype === "int32" ? Int32Array.from(data) : b.dtype === "int64" ? int64Words(name, data) : b.dtype === "bool" ? Uint32Array.from(data, (v) => (v ? 1 : 0)) : Float32Array.from(data);
    device.push({ t: "write", id: b.id, offset: offset * 4, data: arr.buffer as ArrayBuffer });
  };
  const alloc = (dtype: DType, size: number): DataBuffer => {
    // Every buffer word is 32 bits: a dtype that needs more is refused, never narrowed.
    if (!DTYPES.includes(dtype)) throw dtypeMissing({ name, dtypes: DTYPES, dtypeGaps: GAPS }, dtype);
    const id = device.newId();
    device.push({ t: "alloc", id, bytes: Math.max(4, size * 4) });
    return new GpuBuffer(name, dtype, size, id);
  };

  /** Runs cpu kernel `fn` on copies of the arguments and writes buffers in `outs` back. */
  function fallback(kernel: string, outs: readonly DataBuffer[], call: (toCpu: ToCpu) => void): void {
    fallbacks.set(kernel, (fallbacks.get(kernel) ?? 0) + 1);
    const copies = new Map<number, CpuBuffer>();
    const cpuOf = (b: DataBuffer): CpuBuffer => {
      const g = gpu(b);
      let c = copies.get(g.id);
      if (!c) copies.set(g.id, (c = new CpuBuffer(g.dtype, g.size, readSync(g), cpu.name)));
      return c;
    };
    function toCpu(x: View): View;
    function toCpu(x: DataBuffer): DataBuffer;
    function toCpu(x: DataBuffer | View): DataBuffer | View {
      return "buf" in x ? { buf: cpuOf(x.buf), shape: x.shape, strides: x.strides, offset: x.offset } : cpuOf(x);
    }
    call(toCpu);
    for (const o of outs) write(o, cpuOf(o).data);
  }

  /** A dense device copy of a view (or the view itself when already dense). */
  function dense(v: View): { buf: DataBuffer; offset: number; temp: boolean } {
    let s = 1, ok = true;
    for (let i = v.shape.length - 1; i >= 0; i--) {
      if (v.shape[i] !== 1 && v.strides[i] !== s) ok = false;
      s *= v.shape[i];
    }
    if (ok) return { buf: v.buf, offset: v.offset, temp: false };
    const buf = alloc(v.buf.dtype, s);
    const strides: number[] = [];
    let acc = 1;
    for (let i = v.shape.length - 1; i >= 0; i--) { strides[i] = acc; acc *= v.shape[i]; }
    map("copy", { buf, shape: v.shape, strides, offset: 0 }, [v]);
    return { buf, offset: 0, temp: true };
  }

  function map(op: MapOp, out: View, inputs: readonly View[], param = 0): void {
    let n = 1;
    for (const d of out.shape) n *= d;
    if (n === 0) return;
    const c = coalesce(out.shape, [out.strides, ...inputs.map((v) => v.strides)]);
    // int64 lives in i32 words here: arithmetic that can leave their range runs exactly on the
    // cpu and is written back through the range check, so an overflow is an error, not a wrap.
    if (c.shape.length > MAX_RANK || (out.buf.dtype === "int64" && INT64_OVERFLOWING.has(op))) {
      return fallback(`map:${op}`, [out.buf], (x) => cpu.map(op, x(out), inputs.map((v) => x(v)), param));
    }
    const bufs: DataBuffer[] = [out.buf];
    const slots = inputs.map((v) => {
      const i = bufs.findIndex((b) => gpu(b).id === gpu(v.buf).id);
      if (i >= 0) return i;
      bufs.push(v.buf);
      return bufs.length - 1;
    });
    const prog = elementwise({ op, outDtype: out.buf.dtype, inDtypes: inputs.map((v) => v.buf.dtype), slots, nd: c.shape.length, n });
    const p = new Params();
    p.int(n);
    p.float(param);
    p.ints([out.offset, ...inputs.map((v) => v.offset)]);
    p.ints(c.shape);
    for (const s of c.strides) p.ints(s);
    run(prog, bufs, p);
  }

  function reduceOp(op: ReduceOp, out: DataBuffer, x: View, axes: readonly number[]): void {
    const kept: number[] = [], keptStr: number[] = [], red: number[] = [], redStr: number[] = [];
    for (let d = 0; d < x.shape.length; d++) {
      (axes.includes(d) ? red : kept).push(x.shape[d]);
      (axes.includes(d) ? redStr : keptStr).push(x.strides[d]);
    }
    const k = coalesce(kept, [keptStr]), r = coalesce(red, [redStr]);
    const nOut = kept.reduce((a, b) => a * b, 1), nRed = red.reduce((a, b) => a * b, 1);
    if (nOut === 0) return;
    if (nRed === 0 || k.shape.length > MAX_RANK || r.shape.length > MAX_RANK || nRed >= 2 ** 31) {
      return fallback(`reduce:${op}`, [out], (t) => cpu.reduce(op, t(out), t(x), axes));
    }
    const prog = reduce({ op, outDtype: out.dtype, inDtype: x.buf.dtype, keptNd: k.shape.length, redNd: r.shape.length, nOut });
    const p = new Params();
    p.ints([nOut, nRed, x.offset, ...k.shape, ...k.strides[0], ...r.shape, ...r.strides[0]]);
    run(prog, [out, x.buf], p);
  }

  /** Batched matmul; `bias` (a vector over n) and `activation` are applied in the kernel's epilogue. */
  function matmulOp(out: DataBuffer, a: View, b: View, bias?: View, activation?: LinearActivation): void {
    const nd = a.shape.length;
    const m = a.shape[nd - 2], k = a.shape[nd - 1], n = b.shape[nd - 1];
    const batch = a.shape.slice(0, nd - 2);
    const batches = batch.reduce((x, y) => x * y, 1);
    if (m * n * batches === 0) return;
    if (!isFloating(out.dtype) || batch.length > MATMUL_MAX_BATCH_DIMS || batches > 65535) {
      if (bias || activation) throw new Error("matmul: a fused bias or activation needs a kernel the device runs (addmm checks)");
      return fallback("matmul", [out], (t) => cpu.matmul(t(out), t(a), t(b)));
    }
    const aAlongK = a.strides[nd - 1] === 1 && k > 1, bAlongK = b.strides[nd - 2] === 1 && k > 1 && b.strides[nd - 1] !== 1;
    const prog = matmul({ m, n, k, batches, bnd: batch.length, bias: !!bias, activation, aAlongK, bAlongK });
    const p = new Params();
    p.ints([m, n, k, a.offset, b.offset, a.strides[nd - 2], a.strides[nd - 1], b.strides[nd - 2], b.strides[nd - 1]]);
    const pad = (xs: readonly number[]): number[] => [...xs, 0, 0, 0, 0].slice(0, 4);
    p.ints(pad(batch));
    p.ints(pad(a.strides.slice(0, nd - 2)));
    p.ints(pad(b.strides.slice(0, nd - 2)));
    if (bias) p.ints([bias.offset, bias.strides[bias.strides.length - 1] ?? 0]);
    run(prog, bias ? [out, a.buf, b.buf, bias.buf] : [out, a.buf, b.buf], p);
  }

  /** Fused linear layer: out [m, n] = activation(a [m, k] @ b [k, n] + bias [n]); declines what matmul would fall back on. */
  function addmm(out: DataBuffer, bias: View, a: View, b: View, activation?: LinearActivation): boolean {
    const bufs = [out, bias.buf, a.buf, b.buf];
    if (!bufs.every((x) => isFloating(x.dtype)) || a.shape.length !== 2 || bias.shape.length > 1) return false;
    matmulOp(out, a, b, bias, activation);
    return true;
  }

  /** Runs a window kernel over `count` threads with x [n, c, h, w] geometry. */
  function windowOp(kind: WindowKind, count: number, bufs: DataBuffer[], shape: readonly number[], w: Window2d, xOff: number, iOff = 0): void {
    if (count === 0) return;
    const p = new Params();
    p.ints([count, shape[0] * shape[1], shape[2], shape[3], w.kh, w.kw, w.sh, w.sw, w.ph, w.pw, w.dh, w.dw, w.oh, w.ow, xOff, iOff]);
    run(windowKernel(kind, count), bufs, p);
  }
  const floatOnly = (_kernel: string, bufs: DataBuffer[]): boolean => bufs.every((b) => isFloating(b.dtype));

  function indexOp(kind: IndexKind, out: DataBuffer, src: View, index: View, count: number, words: number[]): void {
    const s = dense(src), i = dense(index);
    const p = new Params();
    p.ints(words.map((w) => (w === -1 ? s.offset : w === -2 ? i.offset : w)));
    const nd = kind === "gather" || kind === "scatterAdd" ? index.shape.length : 0;
    if (count > 0) run(indexKernel(kind, out.dtype, nd, count), [out, s.buf, i.buf], p);
    if (s.temp) free(s.buf);
    if (i.temp) free(i.buf);
  }
  const free = (buf: DataBuffer): void => device.push({ t: "free", id: gpu(buf).id });

  function optimizerStep(u: OptimizerUpdate, param: View, grad: View, state: readonly DataBuffer[]): boolean {
    if (!isFloating(param.buf.dtype) || !isFloating(grad.buf.dtype)) return false;
    const n = param.buf.size === 0 ? 0 : param.shape.reduce((a, b) => a * b, 1);
    if (n === 0) return true;
    const rms = u.rule === "rmsprop";
    const spec: OptimSpec = { rule: u.rule, momentum: rms && (u.hyper.mu ?? 0) > 0, centered: rms && (u.hyper.centered ?? 0) !== 0 };
    if (state.length !== optimStateCount(spec)) {
      throw new Error(`optimizerStep: rule ${u.rule} needs ${optimStateCount(spec)} state buffers, got ${state.length}`);
    }
    const p = new Params();
    p.ints([n, param.offset, grad.offset]);
    for (const k of OPTIM_WORDS[u.rule]) {
      const v = u.hyper[k];
      if (v === undefined) throw new Error(`optimizerStep: rule ${u.rule} is missing hyperparameter ${k}`);
      p.float(v);
    }
    run(optimKernel(spec, n), [param.buf, grad.buf, ...state], p);
    return true;
  }

  /**
   * A fused recurrent-cell kernel (wgsl/recurrent.ts) over B·H threads: operands are made dense,
   * their offsets follow [B·H, H] in the parameter block, outputs are bound first.
   */
  function cellOp(kernel: (count: number) => Program, outs: DataBuffer[], ins: View[], B: number, H: number): void {
    const d = ins.map(dense);
    const p = new Params();
    p.ints([B * H, H, ...d.map((x) => x.offset)]);
    if (B * H > 0) run(kernel(B * H), [...outs, ...d.map((x) => x.buf)], p);
    for (const x of d) if (x.temp) free(x.buf);
  }
  const allFloat32 = (bufs: DataBuffer[]): boolean => bufs.every((b) => b.dtype === "float32");

  function lstmCell(hc: DataBuffer, gx: View, gh: View, c: View): boolean {
    if (!allFloat32([hc, gx.buf, gh.buf, c.buf])) return false;
    cellOp(lstmCellKernel, [hc], [gx, gh, c], gx.shape[0], gx.shape[1] / 4);
    return true;
  }

  function gruCell(out: DataBuffer, gi: View, gh: View, h: View): boolean {
    if (!allFloat32([out, gi.buf, gh.buf, h.buf])) return false;
    cellOp(gruCellKernel, [out], [gi, gh, h], gi.shape[0], gi.shape[1] / 3);
    return true;
  }

  return {
    name,
    gcManaged: false,
    onDevice: true,
    lstmCell,
    lstmCellBackward: (dgates, dc, gx, gh, c, grad) => cellOp(lstmCellBackwardKernel, [dgates, dc], [gx, gh, c, grad], gx.shape[0], gx.shape[1] / 4),
    gruCell,
    gruCellBackward: (dgi, dgh, dh, gi, gh, h, grad) => cellOp(gruCellBackwardKernel, [dgi, dgh, dh], [gi, gh, h, grad], gi.shape[0], gi.shape[1] / 3),
    optimizerStep,
    dtypes: DTYPES,
    dtypeGaps: GAPS,
    device,
    fallbacks,
    alloc,
    free,
    write,
    readSync,
    read: (buf) => Promise.resolve(readSync(buf)),
    map,
    reduce: reduceOp,
    matmul: (out, a, b) => matmulOp(out, a, b),
    addmm: (out, bias, a, b) => addmm(out, bias, a, b),
    addmmActivation: addmm,
    im2col(out, x, w) {
      if (!floatOnly("im2col", [out, x.buf])) return fallback("im2col", [out], (t) => cpu.im2col(t(out), t(x), w));
      const d = dense(x);
      windowOp("im2col", x.shape[0] * x.shape[1] * w.kh * w.kw * w.oh * w.ow, [out, d.buf], x.shape, w, d.offset);
      if (d.temp) free(d.buf);
    },
    col2im(out, cols, shape, w) {
      if (!floatOnly("col2im", [out, cols.buf])) return fallback("col2im", [out], (t) => cpu.col2im(t(out), t(cols), shape, w));
      const d = dense(cols);
      map("fill", { buf: out, shape: [out.size], strides: [1], offset: 0 }, [], 0);
      windowOp("col2im", shape[0] * shape[1] * w.kh * w.kw * w.oh * w.ow, [out, d.buf], shape, w, d.offset);
      if (d.temp) free(d.buf);
    },
    maxPool2d(out, indices, x, w) {
      if (!floatOnly("maxPool2d", [out, x.buf])) return fallback("maxPool2d", [out, indices], (t) => cpu.maxPool2d(t(out), t(indices), t(x), w));
      const d = dense(x);
      windowOp("maxPool", x.shape[0] * x.shape[1] * w.oh * w.ow, [out, indices, d.buf], x.shape, w, d.offset);
      if (d.temp) free(d.buf);
    },
    maxPool2dBackward(out, grad, indices, shape) {
      if (!floatOnly("maxPool2dBackward", [out, grad.buf])) return fallback("maxPool2dBackward", [out], (t) => cpu.maxPool2dBackward(t(out), t(grad), t(indices), shape));
      const g = dense(grad), i = dense(indices);
      const [oh, ow] = [grad.shape[2], grad.shape[3]];
      map("fill", { buf: out, shape: [out.size], strides: [1], offset: 0 }, [], 0);
      const w: Window2d = { kh: 1, kw: 1, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1, oh, ow };
      windowOp("maxPoolBackward", shape[0] * shape[1] * oh * ow, [out, g.buf, i.buf], shape, w, g.offset, i.offset);
      if (g.temp) free(g.buf);
      if (i.temp) free(i.buf);
    },
    avgPool2d(out, x, w) {
      if (!floatOnly("avgPool2d", [out, x.buf])) return fallback("avgPool2d", [out], (t) => cpu.avgPool2d(t(out), t(x), w));
      const d = dense(x);
      windowOp("avgPool", x.shape[0] * x.shape[1] * w.oh * w.ow, [out, d.buf], x.shape, w, d.offset);
      if (d.temp) free(d.buf);
    },
    avgPool2dBackward(out, grad, shape, w) {
      if (!floatOnly("avgPool2dBackward", [out, grad.buf])) return fallback("avgPool2dBackward", [out], (t) => cpu.avgPool2dBackward(t(out), t(grad), shape, w));
      const g = dense(grad);
      map("fill", { buf: out, shape: [out.size], strides: [1], offset: 0 }, [], 0);
      windowOp("avgPoolBackward", shape[0] * shape[1] * w.oh * w.ow, [out, g.buf], shape, w, g.offset);
      if (g.temp) free(g.buf);
    },
    adaptiveAvgPool2d(out, x, oh, ow) {
      if (!floatOnly("adaptiveAvgPool2d", [out, x.buf])) return fallback("adaptiveAvgPool2d", [out], (t) => cpu.adaptiveAvgPool2d(t(out), t(x), oh, ow));
      const d = dense(x);
      const w: Window2d = { kh: 1, kw: 1, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1, oh, ow };
      windowOp("adaptiveAvgPool", x.shape[0] * x.shape[1] * oh * ow, [out, d.buf], x.shape, w, d.offset);
      if (d.temp) free(d.buf);
    },
    adaptiveAvgPool2dBackward(out, grad, shape) {
      if (!floatOnly("adaptiveAvgPool2dBackward", [out, grad.buf])) return fallback("adaptiveAvgPool2dBackward", [out], (t) => cpu.adaptiveAvgPool2dBackward(t(out), t(grad), shape));
      const g = dense(grad);
      const [oh, ow] = [grad.shape[2], grad.shape[3]];
      map("fill", { buf: out, shape: [out.size], strides: [1], offset: 0 }, [], 0);
      const w: Window2d = { kh: 1, kw: 1, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1, oh, ow };
      windowOp("adaptiveAvgPoolBackward", shape[0] * shape[1] * oh * ow, [out, g.buf], shape, w, g.offset);
      if (g.temp) free(g.buf);
    },
    gather(out, x, dim, index) {
      const nd = index.shape.length;
      if (nd > 12 || nd === 0) return fallback("gather", [out], (t) => cpu.gather(t(out), t(x), dim, t(index)));
      const i = dense(index);
      const count = index.shape.reduce((a, b) => a * b, 1);
      const p = new Params();
      p.ints([count, dim, x.shape[dim], x.offset, i.offset, ...index.shape, ...x.strides]);
      if (count > 0) run(indexKernel("gather", out.dtype, nd, count), [out, x.buf, i.buf], p);
      if (i.temp) free(i.buf);
    },
    scatterAdd(out, shape, dim, index, src) {
      const nd = index.shape.length;
      if (!isFloating(out.dtype) || nd > 12 || nd === 0) return fallback("scatterAdd", [out], (t) => cpu.scatterAdd(t(out), shape, dim, t(index), t(src)));
      const strides: number[] = [];
      let acc = 1;
      for (let d = shape.length - 1; d >= 0; d--) { strides[d] = acc; acc *= shape[d]; }
      // The src view is walked with the index's shape: make it dense in that shape first.
      const srcView: View = { buf: src.buf, shape: index.shape, strides: src.strides, offset: src.offset };
      const count = index.shape.reduce((a, b) => a * b, 1);
      indexOp("scatterAdd", out, srcView, index, count, [count, dim, shape[dim], -1, -2, ...index.shape, ...strides]);
    },
    indexSelect(out, x, dim, index) {
      const [outer, inner] = split(x.shape, dim);
      const len = index.shape.length === 0 ? 1 : index.shape[0];
      indexOp("indexSelect", out, x, index, outer * len * inner, [outer * len * inner, len, inner, x.shape[dim], -1, -2]);
    },
    indexAdd(out, shape, dim, index, src) {
      if (!isFloating(out.dtype)) return fallback("indexAdd", [out], (t) => cpu.indexAdd(t(out), shape, dim, t(index), t(src)));
      const [outer, inner] = split(shape, dim);
      const len = index.shape.length === 0 ? 1 : index.shape[0];
      indexOp("indexAdd", out, src, index, outer * len * inner, [outer * len * inner, len, inner, shape[dim], -1, -2]);
    },
  };
}

function split(shape: readonly number[], dim: number): [number, number] {
  let outer = 1, inner = 1;
  for (let d = 0; d < dim; d++) outer *= shape[d];
  for (let d = dim + 1; d < shape.length; d++) inner *= shape[d];
  return [outer, inner];
}
