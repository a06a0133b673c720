/**
 * The `data` namespace: datasets, DataLoader, randomSplit, generated teaching sets and
 * loaders for Fashion-MNIST, MNIST digits and the 8×8 digits.
 */
export { TensorDataset, Subset, randomSplit } from "./dataset.js";
export type { Dataset } from "./dataset.js";
export { DataLoader, collate } from "./dataloader.js";
export type { DataLoaderOptions } from "./dataloader.js";
export { logicGate, xor, makeMoons, makeCircles, makeBlobs, makeSpirals } from "./synthetic.js";
export type { Gate, GeneratorOptions, BlobOptions } from "./synthetic.js";
export { parseIdx, readIdxFile } from "./idx.js";
export type { IdxArray } from "./idx.js";
export {
  fashionMNIST, hasFashionMNIST, FASHION_MNIST_MEAN, FASHION_MNIST_STD, mnistDigits, digits8x8, FASHION_MNIST_CLASSES, FASHION_MNIST_ROOT, SKLEARN_DATA_ROOT,
} from "./datasets.js";
export type { ImageSetOptions } from "./datasets.js";
