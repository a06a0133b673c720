// Datasets (TensorDataset, Subset, subclasses of Dataset), DataLoader, randomSplit, generated
// teaching sets and the IDX reader. The image sets and their sources are in vision.test.ts.
import { gzipSync } from "node:zlib";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { data, tensor, arange, manualSeed } from "../../../src/index.js";
import type { Tensor } from "../../../src/index.js";

describe("TensorDataset and DataLoader", () => {
  const X = arange(0, 10).reshape([10, 1]).float();
  const Y = arange(0, 10, { dtype: "int32" });
  const ds = new data.TensorDataset(X, Y);

  it("indexes rows of every tensor with get(i) and [i], negatives from the end", () => {
    expect(ds.length).toBe(10);
    const [x, y] = ds.get(3);
    expect(x.toArray()).toEqual([3]);
    expect(y.item()).toBe(3);
    expect(ds[-1][1].item()).toBe(9);
    expect(ds.get(-2)[1].item()).toBe(8);
    expect([...ds].length).toBe(10);
    expect(() => ds.get(10)).toThrow("TensorDataset: index 10 is out of bounds for dimension 0 with size 10");
    expect(() => ds[10]).toThrow("Dataset[10]: index 10 is out of bounds for dimension 0 with size 10");
    expect(() => ds.get(1.5)).toThrow("TensorDataset: sample index must be an integer, got 1.5");
    expect(() => new data.TensorDataset(X, arange(0, 9))).toThrow("TensorDataset: size mismatch between tensors: [10,1] vs [9]");
  });

  it("prints a summary instead of the tensors", () => {
    expect(String(ds)).toBe("Dataset TensorDataset\n    Number of datapoints: 10\n    Tensors: float32 [10,1], int32 [10]");
    expect(inspect(ds)).toBe(String(ds));
    const [a] = data.randomSplit(ds, [7, 3], { seed: 1 });
    expect(String(a)).toBe("Subset of 7 datapoints of\n  Dataset TensorDataset\n      Number of datapoints: 10\n      Tensors: float32 [10,1], int32 [10]");
    const loader = new data.DataLoader(ds, { batchSize: 4, shuffle: true, seed: 0 });
    expect(String(loader)).toBe("DataLoader over TensorDataset (10 datapoints)\n    batchSize: 4, shuffle: true, dropLast: false\n    Number of batches: 3");
    expect((loader as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]()["text/plain"]).toBe(String(loader));
  });

  it("batches in order, keeping the last short batch unless dropLast", () => {
    const loader = new data.DataLoader(ds, { batchSize: 4 });
    const batches = [...loader];
    expect(loader.length).toBe(3);
    expect(batches.map(([xb, yb]) => [xb.shape, yb.dtype])).toEqual([[[4, 1], "int32"], [[4, 1], "int32"], [[2, 1], "int32"]]);
    expect(batches[2][1].toArray()).toEqual([8, 9]);
    expect([...new data.DataLoader(ds, { batchSize: 4, dropLast: true })].length).toBe(2);
    expect([...loader.entries()].map(([i, [, yb]]) => [i, yb.shape[0]])).toEqual([[0, 4], [1, 4], [2, 2]]);
  });

  it("shuffles every epoch, reproducibly with a seed or manualSeed", () => {
    const order = (l: data.DataLoader) => [...l].flatMap(([, y]) => y.toArray() as number[]);
    const a = new data.DataLoader(ds, { batchSize: 3, shuffle: true, seed: 42 });
    const e1 = order(a);
    const e2 = order(a);
    expect([...e1].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(e1).not.toEqual(e2);
    expect(order(new data.DataLoader(ds, { batchSize: 3, shuffle: true, seed: 42 }))).toEqual(e1);
    manualSeed(7);
    const m1 = order(new data.DataLoader(ds, { batchSize: 5, shuffle: true }));
    manualSeed(7);
    expect(order(new data.DataLoader(ds, { batchSize: 5, shuffle: true }))).toEqual(m1);
  });

  it("collates generic datasets: integer numbers become class indices like tensor([1, 2])", () => {
    const items = { length: 3, get: (i: number) => [tensor([i, i]), i, i / 2, { w: i }] as const };
    const [xb, yb, fb, ob] = [...new data.DataLoader(items, { batchSize: 3 })][0] as unknown as [Tensor, Tensor, Tensor, { w: Tensor }];
    expect(xb.toArray()).toEqual([[0, 0], [1, 1], [2, 2]]);
    expect(yb.dtype).toBe(tensor([1, 2]).dtype);
    expect(fb.dtype).toBe("float32");
    expect(ob.w.toArray()).toEqual([0, 1, 2]);
  });

  it("rejects bad options and indexing by name", () => {
    expect(() => new data.DataLoader(ds, { batchSize: 0 })).toThrow("DataLoader: batchSize should be a positive integer, got 0");
    expect(() => new data.DataLoader(ds, { batch_size: 4 } as never)).toThrow(
      'DataLoader: unknown option "batch_size"; accepted: batchSize, shuffle, dropLast, seed, generator, collateFn, numWorkers, pinMemory (did you mean "batchSize"?)',
    );
    expect(() => new data.DataLoader(ds, { seed: 1 })).toThrow("DataLoader: seed/generator only choose the shuffling order; pass shuffle: true as well");
    expect(() => new data.DataLoader([1, 2] as never)).toThrow(/DataLoader: expected a dataset with length and get\(i\)/);
    const loader = new data.DataLoader(ds, { batchSize: 4, numWorkers: 2 });
    expect(() => (loader as unknown as Tensor[])[0]).toThrow(/DataLoader\[i\]: a DataLoader is not indexable \(as in PyTorch\); iterate it/);
    expect(() => (loader as unknown as Record<string, number>).batch_size).toThrow("DataLoader has no property \"batch_size\"; gradnote uses camelCase: write .batchSize");
    expect(() => data.randomSplit(ds, [5, 5], { seeds: 1 } as never)).toThrow('randomSplit: unknown option "seeds"; accepted: seed, generator');
  });

  it("randomSplit makes disjoint subsets from counts or fractions", () => {
    const [a, b] = data.randomSplit(ds, [7, 3], { seed: 1 });
    const ys = (s: data.Subset<unknown>) => [...new data.DataLoader(s, { batchSize: 10 })][0][1].toArray() as number[];
    const all = [...ys(a), ...ys(b)].sort((p, q) => p - q);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(a[0][1].item()).toBe(ys(a)[0]);
    expect(data.randomSplit(ds, [0.8, 0.2]).map((s) => s.length)).toEqual([8, 2]);
    expect(() => data.randomSplit(ds, [5, 3])).toThrow("randomSplit: sum of input lengths 8 does not equal the length of the dataset 10");
  });
});

describe("Dataset subclasses", () => {
  class Squares extends data.Dataset<[number, number]> {
    override get length(): number {
      return 5;
    }
    get(i: number): [number, number] {
      return [i, i * i];
    }
  }

  it("index, iterate and batch like PyTorch's map-style datasets", () => {
    const sq = new Squares();
    expect(sq[2]).toEqual([2, 4]);
    expect(sq[-1]).toEqual([4, 16]);
    expect([...sq].map(([, y]) => y)).toEqual([0, 1, 4, 9, 16]);
    const [xb, yb] = [...new data.DataLoader(sq, { batchSize: 5 })][0];
    expect(yb.toArray()).toEqual([0, 1, 4, 9, 16]);
    expect(xb.dtype).toBe(tensor([1]).dtype);
    expect(String(sq)).toBe("Dataset Squares\n    Number of datapoints: 5");
    expect(() => sq[5]).toThrow("Squares[5]: index 5 is out of bounds for dimension 0 with size 5");
    expect(() => ((sq as unknown as unknown[])[1] = 3)).toThrow(/datasets are read-only/);
  });

  it("a subclass that forgets its length is told how to define it", () => {
    class NoLength extends data.Dataset<number> {
      get(i: number): number {
        return i;
      }
    }
    expect(() => new NoLength().length).toThrow("NoLength: a Dataset subclass must define its length (PyTorch's __len__): get length() { return … }");
  });
});

describe("teaching sets", () => {
  it("logic gates give truth tables", () => {
    const [X, y] = data.xor();
    expect(X.toArray()).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]]);
    expect(y.toArray()).toEqual([[0], [1], [1], [0]]);
    expect(data.logicGate("and")[1].toArray()).toEqual([[0], [0], [0], [1]]);
    expect(data.logicGate("nor")[1].toArray()).toEqual([[1], [0], [0], [0]]);
    expect(() => data.logicGate("maybe" as "and")).toThrow(/logicGate: unknown gate "maybe"/);
  });

  it("point clouds have the right shapes, labels and geometry", () => {
    const [Xm, ym] = data.makeMoons(100, { seed: 0 });
    expect(Xm.shape).toEqual([100, 2]);
    expect((ym.toArray() as number[]).filter((v) => v === 1).length).toBe(50);
    const [Xc, yc] = data.makeCircles(40, { factor: 0.5, seed: 0 });
    const r = (Xc.toArray() as number[][]).map(([a, b]) => Math.hypot(a, b));
    (yc.toArray() as number[]).forEach((c, i) => expect(r[i]).toBeCloseTo(c === 0 ? 1 : 0.5, 5));
    const [Xb, yb] = data.makeBlobs(90, { centers: 3, nFeatures: 4, seed: 0 });
    expect(Xb.shape).toEqual([90, 4]);
    expect(new Set(yb.toArray() as number[]).size).toBe(3);
    const [Xs, ys] = data.makeSpirals(300, { classes: 3, seed: 0 });
    expect(Xs.shape).toEqual([300, 2]);
    expect(Math.max(...(Xs.abs().toArray() as number[][]).flat())).toBeLessThanOrEqual(1);
    expect(new Set(ys.toArray() as number[]).size).toBe(3);
    expect(data.makeMoons(10, { seed: 3, noise: 0.1 })[0].toArray()).toEqual(data.makeMoons(10, { seed: 3, noise: 0.1 })[0].toArray());
  });

  it("labels are class indices like tensor([1, 2]), and misspelt options are named", () => {
    expect(data.makeSpirals(30, { seed: 0 })[1].dtype).toBe(tensor([1, 2]).dtype);
    expect(() => data.makeMoons(100, { noize: 0.1 } as never)).toThrow('makeMoons: unknown option "noize"; accepted: noise, seed, generator, shuffle');
    expect(() => data.makeBlobs(100, { cluster_std: 2 } as never)).toThrow(
      'makeBlobs: unknown option "cluster_std"; accepted: noise, seed, generator, shuffle, centers, nFeatures, clusterStd, centerBox (did you mean "clusterStd"?)',
    );
  });
});

describe("IDX reader", () => {
  it("reads big-endian headers and data, gzipped or not", () => {
    const bytes = new Uint8Array([0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 255]);
    for (const b of [bytes, new Uint8Array(gzipSync(bytes))]) {
      const a = data.parseIdx(b);
      expect(a.shape).toEqual([2, 3]);
      expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 255]);
    }
    const f = new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0xc0, 0, 0]);
    expect(Array.from(data.parseIdx(f).data)).toEqual([1.5]);
    expect(() => data.parseIdx(new Uint8Array([1, 2, 3, 4]))).toThrow("readIdx: idx is not an IDX file (bad magic number)");
    expect(() => data.parseIdx(bytes.slice(0, 14))).toThrow(/readIdx: idx is truncated: shape \[2,3\] needs 18 bytes, got 14/);
  });
});
