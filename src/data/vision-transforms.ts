/**
 * The `transforms` namespace (torchvision.transforms): `import { transforms } from "gradnote"`.
 * Only re-exports; the transforms live in transforms.ts.
 */
export { Transform, Compose, ToTensor, Normalize, Lambda } from "./transforms.js";
export type { TransformLike, NormalizeOptions } from "./transforms.js";
