/**
 * The `data` namespace (torch.utils.data and more): Dataset, TensorDataset, Subset,
 * randomSplit, DataLoader; torchvision-style `datasets` and `transforms`; one-call loaders for
 * Fashion-MNIST, MNIST digits and the 8×8 digits; generated teaching sets; the IDX reader.
 */
export { Dataset, TensorDataset, Subset, randomSplit } from "./dataset.js";
export type { DatasetLike, RandomSplitOptions } from "./dataset.js";
export { DataLoader, collate } from "./dataloader.js";
export type { DataLoaderOptions } from "./dataloader.js";
export * as datasets from "./vision-datasets.js";
export * as transforms from "./vision-transforms.js";
export { Image } from "./image.js";
export { dataPaths, DEFAULT_DATA_PATHS } from "./sources.js";
export { dataSources } from "./image-sets.js";
export type { DataSourceInfo } from "./image-sets.js";
export { logicGate, xor, makeMoons, makeCircles, makeBlobs, makeSpirals } from "./synthetic.js";
export type { Gate, GeneratorOptions, BlobOptions } from "./synthetic.js";
export { parseIdx, readIdxFile } from "./idx.js";
export type { IdxArray } from "./idx.js";
export {
  fashionMNIST, hasFashionMNIST, mnistDigits, digits8x8, FASHION_MNIST_MEAN, FASHION_MNIST_STD, MNIST_MEAN, MNIST_STD,
  FASHION_MNIST_CLASSES, MNIST_CLASSES, FASHION_MNIST_ROOT, SKLEARN_DATA_ROOT,
} from "./datasets.js";
export type { ImageSetOptions } from "./datasets.js";
