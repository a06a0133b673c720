/**
 * Node options of every kernel process, wherever it is started: the kernelspec's argv
 * (kernel/kernelspec.ts), the client's launcher (kernel/client.ts) and the grading sandbox
 * (kernel/sandbox.ts).
 *
 * --max-semi-space-size caps V8's young generation of the kernel's main thread at 2 MB a
 * semi-space. V8 grows it up to 16 MB when many objects survive a collection, as the tensors a
 * cell leaves in its variables do; 900 re-run cells then held about 15 MB more RSS for the whole
 * session (bench/runtime-cells.mjs), for no gain: a scavenge of the few survivors costs
 * microseconds. The language worker's young generation has its own cap (kernel/lang/client.ts).
 */
export const KERNEL_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=2"];
