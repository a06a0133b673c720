/**
 * Backend registry entry: registers the built-in backends and re-exports the switchboard.
 * "cpu" is the worker-pool backend (threads + WASM SIMD, the default); "cpu-ref" is the plain
 * single-threaded reference that faster backends are tested against.
 */
import { registerBackend } from "./backend.js";
import { createCpuBackend } from "./cpu/cpu-backend.js";
import { createPoolBackend } from "./pool/pool-backend.js";
import { createWebgpu } from "./webgpu/index.js";

registerBackend("cpu", () => createPoolBackend("cpu"), { makeDefault: true });
registerBackend("cpu-ref", () => createCpuBackend("cpu-ref"));
// WebGPU through Dawn: starts its device worker on first use; no adapter → cpu with a notice.
registerBackend("webgpu", createWebgpu);

export { setBackend, getBackend, backends, registerBackend, currentBackend, backendNamed } from "./backend.js";
export type { Backend, DataBuffer, View, MapOp, ReduceOp, UnaryOp, BinaryOp, TernaryOp, Window2d } from "./backend.js";
export { setNumThreads, getNumThreads, shutdownPool } from "./pool/pool.js";
export { cpuInfo } from "./pool/info.js";
export { webgpuInfo, webgpuSync, type WebgpuInfo } from "./webgpu/index.js";
