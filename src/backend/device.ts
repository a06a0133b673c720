/**
 * PyTorch's device vocabulary over gradnote's backends: `device("cuda")`, `cuda.isAvailable()`,
 * `x.to("cuda")`. gradnote's GPU backend is WebGPU, so "cuda", "cuda:0", "mps" and "gpu" name
 * it; "cpu" is the worker-pool backend. Ported lines like
 * `const dev = cuda.isAvailable() ? "cuda" : "cpu"` run unchanged.
 */
import { backends } from "./backend.js";
import { webgpuInfo } from "./webgpu/index.js";

const GPU_NAMES = new Set(["cuda", "mps", "gpu"]);

/** The backend a device name means: "cuda"/"cuda:0"/"mps"/"gpu" → "webgpu"; registered names as they are. */
export function resolveDevice(name: string): string {
  // The backends' own names are by far the most common (every allocation passes one).
  if (name === "cpu" || name === "webgpu" || name === "cpu-ref") return name;
  if (typeof name !== "string") throw new Error(`device: expected a device name such as "cpu" or "cuda", got ${typeof name}`);
  const base = name.split(":")[0];
  if (GPU_NAMES.has(base)) {
    const index = name.includes(":") ? Number(name.split(":")[1]) : 0;
    if (index !== 0) throw new Error(`device: "${name}": gradnote has one GPU device (webgpu); use "cuda" or "cuda:0"`);
    return "webgpu";
  }
  if (!backends().includes(name)) {
    throw new Error(`device: unknown device "${name}"; available: ${backends().join(", ")} (and "cuda"/"mps", meaning webgpu)`);
  }
  return name;
}

/** A device: its backend name, printed PyTorch's way (`device(type='webgpu')`). */
export class Device {
  readonly type: string;
  constructor(name: string) {
    this.type = resolveDevice(name);
  }
  toString(): string {
    return this.type;
  }
  [Symbol.toPrimitive](): string {
    return this.type;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `device(type='${this.type}')`;
  }
}

/** `device("cuda")` → the webgpu backend's device; pass it (or its name) to `x.to()` / `model.to()`. */
export function device(name: string): Device {
  return new Device(name);
}

/** PyTorch's `torch.cuda` questions, answered for gradnote's GPU backend (WebGPU). */
export const cuda = {
  /** True when a WebGPU adapter is available (starts the device once to find out). */
  isAvailable(): boolean {
    return webgpuInfo().available;
  },
  /** 1 with a WebGPU adapter, else 0. */
  deviceCount(): number {
    return webgpuInfo().available ? 1 : 0;
  },
};
