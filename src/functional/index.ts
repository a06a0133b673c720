/**
 * nn.functional: the stateless functions behind the nn modules — activations, softmax,
 * convolution, pooling, dropout, losses, embedding and normalisation. nn/ re-exports this
 * namespace as `nn.functional`.
 */
export * from "./activations.js";
export * from "./loss.js";
export * from "./misc.js";
export { linear } from "../ops/matmul.js";
export type { LinearOptions } from "../ops/matmul.js";
export { conv1d, conv2d, unfold, type ConvOptions, type Pair } from "../ops/conv.js";
export { maxPool1d, maxPool2d, avgPool1d, avgPool2d, adaptiveAvgPool1d, adaptiveAvgPool2d, type PoolOptions } from "../ops/pool.js";
export { pad, type PadMode, type PadOptions } from "../ops/pad.js";
export { convTranspose1d, convTranspose2d, fold, type ConvTransposeOptions, type FoldOptions } from "../ops/conv-transpose.js";
export { klDiv, type KLDivOptions } from "./kl-div.js";
export { interpolate, upsample, type InterpolateMode, type InterpolateOptions } from "./interpolate.js";
