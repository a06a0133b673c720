import { defineConfig } from "vitest/config";
import { existsSync } from "node:fs";

// WebGPU suites on machines without a GPU use Debian's SwiftShader (installed by
// scripts/test-setup.sh, the first step of `npm test`). The Vulkan loader is found through
// LD_LIBRARY_PATH, which a process reads only at start: set it here so the forked test workers
// (and kernels they spawn) inherit it. With the CPU adapter installed, the webgpu suites fail
// rather than skip when no adapter comes up (GRADNOTE_REQUIRE_WEBGPU).
const swiftshader = "/opt/webgpu-cpu";
if (existsSync(`${swiftshader}/vk_swiftshader_icd.json`) && !process.env.VK_ICD_FILENAMES) {
  process.env.LD_LIBRARY_PATH = [swiftshader, process.env.LD_LIBRARY_PATH].filter(Boolean).join(":");
  process.env.VK_ICD_FILENAMES = `${swiftshader}/vk_swiftshader_icd.json`;
  process.env.GRADNOTE_REQUIRE_WEBGPU ??= "1";
}
// Debian's Python 3.11 debugger warns on stderr about frozen modules in every ipykernel it starts.
process.env.PYDEVD_DISABLE_FILE_VALIDATION ??= "1";

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
