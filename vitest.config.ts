import { defineConfig } from "vitest/config";
import { existsSync } from "node:fs";

// WebGPU suites on machines without a GPU use Debian's SwiftShader (installed by .ci/run).
// The Vulkan loader is found through LD_LIBRARY_PATH, which a process reads only at start:
// set it here so the forked test workers (and kernels they spawn) inherit it.
const swiftshader = "/opt/webgpu-cpu";
if (existsSync(`${swiftshader}/vk_swiftshader_icd.json`) && !process.env.VK_ICD_FILENAMES) {
  process.env.LD_LIBRARY_PATH = [swiftshader, process.env.LD_LIBRARY_PATH].filter(Boolean).join(":");
  process.env.VK_ICD_FILENAMES = `${swiftshader}/vk_swiftshader_icd.json`;
}

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    fileParallelism: true,
    maxWorkers: 2,
  },
});
