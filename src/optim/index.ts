/**
 * The `optim` namespace: optimizers with PyTorch's update rules and `optim.lrScheduler`.
 */
export { Optimizer } from "./optimizer.js";
export type { ParamGroup, ParamsInput, ParamState } from "./optimizer.js";
export { SGD } from "./sgd.js";
export type { SGDOptions } from "./sgd.js";
export { Adagrad, Adadelta, RMSprop } from "./adaptive.js";
export type { AdagradOptions, AdadeltaOptions, RMSpropOptions } from "./adaptive.js";
export { Adam, AdamW } from "./adam.js";
export type { AdamOptions } from "./adam.js";
export * as lrScheduler from "./lr-scheduler.js";
