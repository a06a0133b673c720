/**
 * gradnote runtime entry: everything a notebook imports from "gradnote".
 */
export const version = "0.1.0";
// nn, optim, data and weight files (save/load in safetensors).
export * as nn from "./nn/index.js";
export * as optim from "./optim/index.js";
export * as data from "./data/index.js";
// torchvision-style: `import { datasets, transforms } from "gradnote"`.
export { datasets, transforms } from "./data/index.js";
export { save, load } from "./io/index.js";
export * as io from "./io/index.js";
// Tensors, creation, autograd, memory, backends and torch-style free functions.
export * from "./tensor/index.js";
// torch.autograd: grad, backward, Function, functional.jacobian / hessian.
export * as autograd from "./autograd/index.js";
// nn.functional is also importable directly.
export * as functional from "./functional/index.js";
// display / clearOutput / input (the kernel's, when running in gradnote; terminal fallbacks otherwise).
export { display, displayBundle, clearOutput, input } from "./display/index.js";
// Plots, live curves, images, activations, progress bars, model summaries (MIME bundles for Jupyter).
export {
  plot, Figure, liveCurve, LiveCurve, progress, Progress, showImages, showFilters, showActivations,
  gradientMonitor, GradientMonitor, summary,
} from "./display/index.js";
export type { LiveCurveOptions, ProgressOptions, ShowImagesOptions, ShowFiltersOptions, PlotOptions } from "./display/index.js";
// The kernel's type-check mode for cells (warn / error / off).
export { typecheck, type TypecheckMode } from "./typecheck.js";
