// torchvision-style image sets: where they come from (a root, GRADNOTE_DATA_PATHS or Debian's
// folders, else the bundled copy — with the notice line), samples and batches, reprs, and the
// errors for unknown options, missing files and bad indices.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { data, datasets, transforms, nn, randn, tensor } from "../../../src/index.js";
import type { Tensor } from "../../../src/index.js";

/** IDX bytes (gzip) of unsigned bytes with `shape`. */
function idx(shape: number[], values: number[]): Buffer {
  const head = Buffer.alloc(4 + 4 * shape.length);
  head[2] = 0x08;
  head[3] = shape.length;
  shape.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return gzipSync(Buffer.concat([head, Buffer.from(values)]));
}

/** A folder `dir` with a 3-image 2×2 train split and a 1-image test split. */
function writeSet(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "train-images-idx3-ubyte.gz"), idx([3, 2, 2], [0, 51, 102, 255, 1, 2, 3, 4, 9, 9, 9, 9]));
  writeFileSync(join(dir, "train-labels-idx1-ubyte.gz"), idx([3], [7, 0, 3]));
  writeFileSync(join(dir, "t10k-images-idx3-ubyte.gz"), idx([1, 2, 2], [5, 6, 7, 8]));
  writeFileSync(join(dir, "t10k-labels-idx1-ubyte.gz"), idx([1], [2]));
}

const saved = process.env.GRADNOTE_DATA_PATHS;
let log: ReturnType<typeof vi.spyOn>;
const notices = (): string[] => log.mock.calls.map((c: unknown[]) => String(c[0]));
beforeEach(() => {
  process.env.GRADNOTE_DATA_PATHS = ""; // the Debian folders hidden: a fresh machine
  log = vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(() => {
  if (saved === undefined) delete process.env.GRADNOTE_DATA_PATHS;
  else process.env.GRADNOTE_DATA_PATHS = saved;
  log.mockRestore();
});

describe("on a fresh machine (GRADNOTE_DATA_PATHS empty): the bundled copies", () => {
  it("Fashion-MNIST: 6,000 train and 1,000 test images with a notice saying so", () => {
    const train = new datasets.FashionMNIST({ transform: new transforms.ToTensor() });
    const test = new datasets.FashionMNIST({ train: false });
    expect([train.length, test.length]).toEqual([6000, 1000]);
    expect(notices()).toEqual([
      "gradnote data: Fashion-MNIST train from the bundled subset (6000 of 60000 images; for all of them: sudo apt-get install dataset-fashion-mnist)",
      "gradnote data: Fashion-MNIST test from the bundled subset (1000 of 10000 images; for all of them: sudo apt-get install dataset-fashion-mnist)",
    ]);
    const [x, y] = train[0];
    expect(x.shape).toEqual([1, 28, 28]);
    expect(y).toBe(9); // the first training image of Fashion-MNIST is an ankle boot
    expect(train.classes[y]).toBe("Ankle boot");
    expect(train.source).toBe("bundled");
    const [img, label] = test[-1];
    expect(String(img)).toBe("<Image mode=L size=28x28>");
    expect(typeof label).toBe("number");
    expect(data.hasFashionMNIST()).toBe(false);
  });

  it("MNIST: 600 train and 100 test digits per class", () => {
    const train = new datasets.MNIST();
    const counts = new Array(10).fill(0);
    for (const v of train.targets.toArray() as number[]) counts[v]++;
    expect(counts).toEqual(new Array(10).fill(600));
    expect(new datasets.MNIST({ train: false }).length).toBe(1000);
    expect(train.classes[3]).toBe("3 - three");
    expect(notices()[0]).toMatch(/^gradnote data: MNIST train from the bundled subset \(6000 of 60000 images; /);
  });

  it("8x8 digits: the whole set, values 0–16 scaled by ToTensor", () => {
    const digits = new datasets.Digits8x8({ transform: new transforms.ToTensor() });
    expect(digits.length).toBe(1797);
    const [x, y] = digits[0];
    expect(x.shape).toEqual([1, 8, 8]);
    expect(y).toBe(0);
    // sklearn's load_digits().data[0][:8] is [0, 0, 5, 13, 9, 1, 0, 0].
    expect((x.toArray() as number[][][])[0][0]).toEqual([0, 0, 5, 13, 9, 1, 0, 0].map((v) => v / 16));
    expect(notices()).toEqual(["gradnote data: 8×8 digits from the bundled copy (1797 images)"]);
    const legacy = data.digits8x8();
    expect(legacy.tensors[0].shape).toEqual([1797, 1, 8, 8]);
    expect((legacy.tensors[1].toArray() as number[]).slice(0, 3)).toEqual([0, 1, 2]);
  });

  it("dataSources() says where each set would come from, for gradnote doctor", () => {
    const [fashion, mnist, digits] = data.dataSources();
    expect(fashion).toEqual({
      name: "Fashion-MNIST",
      found: true,
      source: `the bundled subset, 6000 train + 1000 test images (for all: sudo apt-get install dataset-fashion-mnist) in ${new datasets.FashionMNIST().root}`,
    });
    expect([mnist.name, mnist.found]).toEqual(["MNIST", true]);
    expect(digits.source).toMatch(/^the bundled copy in .*digits$/);
  });

  it("the one-call loaders use the same copies", () => {
    const [X, y] = data.fashionMNIST({ train: false, flatten: true, limit: 5 }).tensors;
    expect(X.shape).toEqual([5, 784]);
    expect(y.dtype).toBe(tensor([1, 2]).dtype);
    const [Xm] = data.mnistDigits({ train: false, normalize: true }).tensors;
    expect(Xm.shape).toEqual([1000, 1, 28, 28]);
    expect(() => data.fashionMNIST({ limt: 5 } as never)).toThrow('fashionMNIST: unknown option "limt"; accepted: train, flatten, limit, normalize, root');
  });
});

describe("samples, batches and reprs", () => {
  const transform = new transforms.Compose([new transforms.ToTensor(), new transforms.Normalize([0.286], [0.353])]);

  it("prints like torchvision's datasets", () => {
    const test = new datasets.FashionMNIST({ train: false, transform, targetTransform: new transforms.Lambda((y) => y) });
    expect(String(test)).toBe(
      [
        "Dataset FashionMNIST",
        "    Number of datapoints: 1000",
        `    Root location: ${test.root}`,
        "    Split: Test",
        "    Subset: bundled with gradnote (1000 of 10000)",
        "    StandardTransform",
        "Transform: Compose(",
        "               ToTensor()",
        "               Normalize(mean=[0.286], std=[0.353])",
        "           )",
        "Target transform: Lambda()",
      ].join("\n"),
    );
    expect(test.root.endsWith(join("datasets", "fashion-mnist"))).toBe(true);
    const loader = new data.DataLoader(test, { batchSize: 64 });
    expect(String(loader)).toBe("DataLoader over FashionMNIST (1000 datapoints)\n    batchSize: 64, shuffle: false, dropLast: false\n    Number of batches: 16");
  });

  it("DataLoader batches are [B, 1, 28, 28] floats and class indices that crossEntropy takes", () => {
    const test = new datasets.FashionMNIST({ train: false, transform });
    const loader = new data.DataLoader(test, { batchSize: 64, shuffle: true, seed: 0 });
    expect(loader.length).toBe(16);
    const [X, y] = loader[Symbol.iterator]().next().value as Tensor[];
    expect(X.shape).toEqual([64, 1, 28, 28]);
    expect(y.shape).toEqual([64]);
    expect(y.dtype).toBe(tensor([1, 2, 3]).dtype);
    expect(nn.functional.crossEntropy(randn([64, 10]), y).ndim).toBe(0);
  });

  it("the whole-batch path gives exactly what sample-by-sample collation gives", () => {
    const test = new datasets.FashionMNIST({ train: false, transform });
    const fast = [...new data.DataLoader(test, { batchSize: 100, shuffle: true, seed: 3 })];
    const slow = [...new data.DataLoader(test, { batchSize: 100, shuffle: true, seed: 3, collateFn: data.collate as never })];
    expect(fast.length).toBe(10);
    for (let b = 0; b < fast.length; b++) {
      const [a, c] = [fast[b][0].dataSync(), slow[b][0].dataSync()];
      expect(a.length).toBe(c.length);
      expect(a.every((v, i) => v === c[i])).toBe(true);
      expect(fast[b][1].toArray()).toEqual(slow[b][1].toArray());
      expect(fast[b][1].dtype).toBe(slow[b][1].dtype);
    }
    const sub = new data.Subset(test, [5, -1]);
    const [xs, ys] = [...new data.DataLoader(sub, { batchSize: 2 })][0];
    expect(Array.from(xs.dataSync())).toEqual([...Array.from(test[5][0].dataSync()), ...Array.from(test[999][0].dataSync())]);
    expect(ys.toArray()).toEqual([test[5][1], test[999][1]]);
  });

  it("data, targets and classToIdx are torchvision's attributes", () => {
    const test = new datasets.FashionMNIST({ train: false });
    expect(test.data.shape).toEqual([1000, 28, 28]);
    expect(test.targets.shape).toEqual([1000]);
    expect(test.targets.toArray()).toEqual(Array.from({ length: 1000 }, (_, i) => test[i][1]));
    expect(test.classToIdx.Sneaker).toBe(7);
  });

  it("untransformed images cannot be batched, and the error says what to add", () => {
    const test = new datasets.FashionMNIST({ train: false });
    expect(() => [...new data.DataLoader(test, { batchSize: 4 })]).toThrow("DataLoader: cannot batch Image samples; give the dataset transform: new transforms.ToTensor()");
  });

  it("bad options, indices and transforms are named", () => {
    expect(() => new datasets.FashionMNIST({ trian: true } as never)).toThrow(
      'FashionMNIST: unknown option "trian"; accepted: root, train, transform, targetTransform, download',
    );
    expect(() => new datasets.Digits8x8({ train: true } as never)).toThrow('Digits8x8: unknown option "train"; accepted: root, transform, targetTransform, download');
    expect(() => new datasets.FashionMNIST({ transform: "ToTensor" as never })).toThrow("FashionMNIST: transform must be a transform or a function, got string");
    const test = new datasets.FashionMNIST({ train: false });
    expect(() => test[1000]).toThrow("FashionMNIST[1000]: index 1000 is out of bounds for dimension 0 with size 1000");
    expect(() => test.get(-1001)).toThrow("FashionMNIST: index -1001 is out of bounds for dimension 0 with size 1000");
    expect(() => (test as unknown as Record<string, unknown>).class_to_idx).toThrow('FashionMNIST has no property "class_to_idx"; gradnote uses camelCase: write .classToIdx');
  });
});

describe("sources: root, GRADNOTE_DATA_PATHS and the system folders", () => {
  const tmp = mkdtempSync(join(tmpdir(), "gradnote-data-"));

  it("a root in torchvision's layout is read, and only it unless download", () => {
    writeSet(join(tmp, "tv", "FashionMNIST", "raw"));
    const ds = new datasets.FashionMNIST({ root: join(tmp, "tv"), transform: new transforms.ToTensor() });
    expect(ds.length).toBe(3);
    expect(ds.source).toBe("root");
    expect(ds[0][0].toArray()).toEqual([[[0, 0.2], [0.4, 1]].map((r) => r.map((v) => Math.fround(v)))]);
    expect(ds[0][1]).toBe(7);
    expect(notices()).toEqual([`gradnote data: Fashion-MNIST train from ${join(tmp, "tv", "FashionMNIST", "raw")} (3 images)`]);
    expect(() => new datasets.MNIST({ root: join(tmp, "tv") })).toThrow(
      new RegExp(`^MNIST: no MNIST files under "${join(tmp, "tv")}" \\(looked in .*\\)\\. Nothing is downloaded here: pass download: true or leave out root`),
    );
    const fallback = new datasets.MNIST({ root: join(tmp, "tv"), download: true });
    expect(fallback.source).toBe("bundled");
    expect(notices().at(-1)).toContain(`none under ${join(tmp, "tv")}, and nothing is downloaded here`);
    expect(() => data.fashionMNIST({ root: join(tmp, "nothing") })).toThrow(/Nothing is downloaded here: leave out root/);
  });

  it("folders in GRADNOTE_DATA_PATHS are searched by set name; bare IDX files are not guessed", () => {
    writeSet(join(tmp, "base", "mnist"));
    writeSet(join(tmp, "bare"));
    process.env.GRADNOTE_DATA_PATHS = [join(tmp, "bare"), join(tmp, "base")].join(":");
    const m = new datasets.MNIST({ train: false });
    expect([m.length, m.source, m.root]).toEqual([1, "system", join(tmp, "base", "mnist")]);
    // MNIST and Fashion-MNIST files share names, so a folder holding them directly matches neither.
    expect(new datasets.FashionMNIST({ train: false }).source).toBe("bundled");
    expect(data.dataPaths()).toEqual([join(tmp, "bare"), join(tmp, "base")]);
    delete process.env.GRADNOTE_DATA_PATHS;
    expect(data.dataPaths()).toEqual([...data.DEFAULT_DATA_PATHS]);
  });

  const debian = existsSync("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
  it.skipIf(!debian)(`Debian's dataset-fashion-mnist is used when installed${debian ? "" : " (skipped: not installed)"}`, () => {
    delete process.env.GRADNOTE_DATA_PATHS;
    expect(data.hasFashionMNIST()).toBe(true);
    const test = new datasets.FashionMNIST({ train: false, transform: new transforms.ToTensor() });
    expect([test.length, test.source, test.root]).toEqual([10000, "system", "/usr/share/datasets/fashion-mnist"]);
    expect(notices()).toEqual(["gradnote data: Fashion-MNIST test from /usr/share/datasets/fashion-mnist (10000 images)"]);
    expect(data.dataSources()[0]).toEqual({ name: "Fashion-MNIST", source: "/usr/share/datasets/fashion-mnist", found: true });
    // The bundled subset is the first 1,000 test images, byte for byte.
    process.env.GRADNOTE_DATA_PATHS = "";
    const bundled = new datasets.FashionMNIST({ train: false, transform: new transforms.ToTensor() });
    for (const i of [0, 1, 500, 999]) {
      expect(Array.from(bundled[i][0].dataSync())).toEqual(Array.from(test[i][0].dataSync()));
      expect(bundled[i][1]).toBe(test[i][1]);
    }
  });

  const sklearn = existsSync("/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz");
  it.skipIf(!sklearn)(`scikit-learn's digits.csv.gz is used when installed, identical to the bundled copy${sklearn ? "" : " (skipped: python3-sklearn is not installed)"}`, () => {
    delete process.env.GRADNOTE_DATA_PATHS;
    const [X, y] = data.digits8x8().tensors;
    expect(notices()).toEqual(["gradnote data: 8×8 digits from /usr/lib/python3/dist-packages/sklearn/datasets/data (1797 images)"]);
    process.env.GRADNOTE_DATA_PATHS = "";
    const [Xb, yb] = data.digits8x8().tensors;
    expect(Array.from(Xb.dataSync())).toEqual(Array.from(X.dataSync()));
    expect(yb.toArray()).toEqual(y.toArray());
  });
});
