/**
 * Backend registry entry: registers the built-in backends and re-exports the switchboard.
 * New backends (worker pool, WebGPU) register themselves here.
 */
import { registerBackend } from "./backend.js";
import { createCpuBackend } from "./cpu/cpu-backend.js";

registerBackend("cpu", createCpuBackend, { makeDefault: true });

export { setBackend, getBackend, backends, registerBackend, currentBackend, backendNamed } from "./backend.js";
export type { Backend, DataBuffer, View, MapOp, ReduceOp, UnaryOp, BinaryOp, TernaryOp, Window2d } from "./backend.js";
