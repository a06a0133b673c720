/**
 * Display helpers of the runtime: they build MIME bundles and hand them to the kernel's display
 * hook; they never touch sockets. Plots (Plotly + static SVG), live curves, image grids,
 * activations, progress bars and rich reprs for tensors, modules and optimizers.
 */
import { displayBundle, type DisplayHandle } from "./kernel-hook.js";
import { plotlyJsSource } from "./plotly-html.js";
import { plot as basicPlots } from "./plot.js";
import { installReprs } from "./reprs.js";
import { confusionMatrix, decisionBoundary, lrComparison } from "./teaching.js";

export { clearOutput, display, displayBundle, inKernel, input, kernelHook, KERNEL_HOOK } from "./kernel-hook.js";
export type { DisplayHandle, DisplayOptions, MimeBundle } from "./kernel-hook.js";
export { Figure, PLOTLY_MIME, type Layout, type Trace } from "./figure.js";
export type { PlotOptions, GridOptions as PlotGridOptions } from "./plot.js";
export { liveCurve, LiveCurve, type LiveCurveOptions } from "./live.js";
export { progress, Progress, type ProgressOptions } from "./progress.js";
export { showImages, showFilters, imagesBundle, filtersBundle, type ShowImagesOptions, type ShowFiltersOptions } from "./image.js";
export { showActivations, activationsBundle, collectActivations, gradientMonitor, GradientMonitor, type LayerActivation } from "./activations.js";
export { summary, ModelSummary, tensorHtml } from "./reprs.js";
export { confusionCounts, type DecisionBoundaryOptions, type ConfusionMatrixOptions } from "./teaching.js";
export { encodePng, type RgbaImage } from "./png.js";

/**
 * Puts plotly.js itself on the page (one output, ~4 MB), for front ends that cannot fetch it from
 * the gradnote kernelspec (no Jupyter server, or gradnote installed under another name).
 * Figures shown after it render from this copy; you rarely need it.
 */
function initNotebookMode(): DisplayHandle {
  const source = plotlyJsSource().replace(/<\/script/gi, "<\\/script");
  return displayBundle({ "text/html": `<script type="text/javascript">${source}</script>`, "text/plain": "<plotly.js loaded>" });
}

/**
 * Plot builders: `plot.line`, `plot.scatter`, `plot.bar`, `plot.histogram`, `plot.heatmap`,
 * `plot.contour`, `plot.surface`, teaching plots `plot.decisionBoundary`, `plot.confusionMatrix`,
 * `plot.lrComparison`, and `plot.figure(traces, layout)` for raw Plotly. Each returns a Figure.
 */
export const plot = Object.freeze({ ...basicPlots, decisionBoundary, confusionMatrix, lrComparison, initNotebookMode });

installReprs();
