/**
 * The `nn` namespace: Module and the layers, losses, `nn.init` and `nn.functional`
 * (the core's functional ops, so `const F = nn.functional` works as in PyTorch).
 */
export { Module, Parameter, isParameter } from "./module.js";
export type { ForwardHook, ForwardPreHook, RemovableHandle, LoadResult } from "./module.js";
export { Linear, Identity, Flatten, Unflatten } from "./linear.js";
export { Conv1d, Conv2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from "./conv.js";
export type { ConvLayerOptions, PoolOptions } from "./conv.js";
export { ReLU, Tanh, Sigmoid, LeakyReLU, ELU, GELU, Softplus, Softmax, LogSoftmax, Step, Dropout } from "./activation.js";
export { SiLU, Hardtanh, ReLU6, SELU, Softsign, LogSigmoid, Softmin, SmoothL1Loss } from "./activation-more.js";
export { MaxPool1d, AvgPool1d, AdaptiveAvgPool1d, type MaxPool1dArgs, type AvgPool1dArgs } from "./pool1d.js";
export { Sequential, ModuleList, ModuleDict } from "./container.js";
export { ConvTranspose1d, ConvTranspose2d } from "./conv-transpose.js";
export type { ConvTransposeArgs } from "./conv-transpose.js";
export { Upsample, UpsamplingNearest2d, UpsamplingBilinear2d } from "./upsample.js";
export type { UpsampleArgs } from "./upsample.js";
export * as utils from "./utils.js";
export { BatchNorm1d, BatchNorm2d, LayerNorm } from "./normalization.js";
export type { BatchNormOptions } from "./normalization.js";
export { Embedding } from "./embedding.js";
export { RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell } from "./recurrent.js";
export type { RNNOptions } from "./recurrent.js";
export {
  MSELoss, L1Loss, HuberLoss, CrossEntropyLoss, NLLLoss, BCELoss, BCEWithLogitsLoss,
  HingeEmbeddingLoss, MarginRankingLoss, MultiMarginLoss, KLDivLoss,
} from "./loss.js";
export type { Reduction } from "./loss.js";
export * as init from "./init.js";
export * as functional from "../functional/index.js";
