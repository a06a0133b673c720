/**
 * PyTorch 2.6+'s `torch.accelerator`, which the current Quickstart uses to pick a device:
 * `accelerator.isAvailable() ? accelerator.currentAccelerator()!.type : "cpu"`. gradnote's one
 * accelerator is the WebGPU backend (what "cuda" names here too).
 */
import { cuda, device, type Device } from "./device.js";

/** `torch.accelerator`: whether a GPU backend is there, and its device. */
export const accelerator = {
  /** True when a WebGPU adapter is available (starts the device once to find out). */
  isAvailable(): boolean {
    return cuda.isAvailable();
  },
  /** The accelerator's device (type "webgpu"), or undefined without one (PyTorch: None). */
  currentAccelerator(): Device | undefined {
    return cuda.isAvailable() ? device("cuda") : undefined;
  },
  /** 1 with a WebGPU adapter, else 0. */
  deviceCount(): number {
    return cuda.deviceCount();
  },
};
