/**
 * The `datasets` namespace (torchvision.datasets): `import { datasets } from "gradnote"`.
 * Only re-exports; the classes live in vision.ts.
 */
export { VisionDataset, FashionMNIST, MNIST, Digits8x8 } from "./vision.js";
export type { VisionDatasetOptions, Digits8x8Options, VisionSample } from "./vision.js";
export { Image } from "./image.js";
