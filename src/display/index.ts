/**
 * Display helpers of the runtime: they build MIME bundles and hand them to the kernel's display
 * hook; they never touch sockets.
 */
export { clearOutput, display, displayBundle, input, kernelHook, KERNEL_HOOK } from "./kernel-hook.js";
export type { DisplayHandle, DisplayOptions, MimeBundle } from "./kernel-hook.js";
