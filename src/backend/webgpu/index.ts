/**
 * The webgpu backend's entry: the factory the registry calls (start the device worker once,
 * or report why it cannot start), the shutdown hook, and `webgpuInfo()` for reports.
 * Kernels are in webgpu-backend.ts and wgsl/; the worker protocol in device.ts.
 */
import { BackendUnavailableError, type Backend } from "../backend.js";
import { Device, DeviceUnavailableError } from "./device.js";
import { createWebgpuBackend, type WebgpuBackend } from "./webgpu-backend.js";

let instance: WebgpuBackend | null = null;
let failure: string | null = null;

/**
 * Registry factory for "webgpu". Throws BackendUnavailableError (setBackend turns it into a
 * notice and stays on cpu) when there is no adapter; the failure is remembered, not retried.
 */
export function createWebgpu(): Backend {
  if (instance) return instance;
  if (failure) throw new BackendUnavailableError("webgpu", failure);
  let device: Device;
  try {
    device = Device.start();
  } catch (e) {
    failure = e instanceof DeviceUnavailableError ? e.message : `WebGPU failed to start: ${e instanceof Error ? e.message : String(e)}`;
    throw new BackendUnavailableError("webgpu", failure);
  }
  // Destroy the device before Node tears the worker down: a clean exit, never a hang.
  process.once("exit", () => device.close());
  instance = createWebgpuBackend(device);
  return instance;
}

/** What the webgpu backend is running on, or why it is not available. */
export interface WebgpuInfo {
  available: boolean;
  /** Adapter description (vendor, architecture, driver). */
  adapter?: string;
  /** Why there is no device. */
  reason?: string;
  /** Device buffer bytes in use and cached in the pool, pipelines compiled (as of the last read). */
  device?: Record<string, number>;
  /** Kernel calls that ran on the cpu fallback, by kernel. */
  fallbacks?: Record<string, number>;
}

/** Starts the device if needed and reports the adapter (or why there is none). */
export function webgpuInfo(): WebgpuInfo {
  try {
    createWebgpu();
  } catch (e) {
    return { available: false, reason: e instanceof BackendUnavailableError ? e.reason : String(e) };
  }
  const b = instance!;
  return { available: true, adapter: b.device.info.name, device: b.device.sync(), fallbacks: Object.fromEntries(b.fallbacks) };
}

/** Waits until all queued device work is done (for timing); a no-op when the device never started. */
export function webgpuSync(): void {
  instance?.device.sync();
}
