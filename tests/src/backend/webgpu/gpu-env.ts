// Shared by the webgpu suites: is there an adapter, and must there be one? In CI (CI=true or
// GRADNOTE_REQUIRE_WEBGPU=1) a missing adapter fails the suites instead of skipping them.
import { describe } from "vitest";
import { webgpuInfo } from "../../../../src/index.js";

export const gpuRequired = !!process.env.CI || process.env.GRADNOTE_REQUIRE_WEBGPU === "1";
export const gpu = webgpuInfo();
/** `describe` that runs when an adapter exists or is required (then the tests fail loudly). */
export const describeGpu = gpu.available || gpuRequired ? describe : describe.skip;
