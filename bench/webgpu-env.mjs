// Runs a script with the SwiftShader WebGPU adapter's environment when no GPU driver setup is
// given and /opt/webgpu-cpu exists (installed by .ci/run): LD_LIBRARY_PATH is read only when a
// process starts, so the script runs as a child process.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const dir = "/opt/webgpu-cpu";
const env = { ...process.env };
if (!env.VK_ICD_FILENAMES && existsSync(`${dir}/vk_swiftshader_icd.json`)) {
  env.LD_LIBRARY_PATH = [dir, env.LD_LIBRARY_PATH].filter(Boolean).join(":");
  env.VK_ICD_FILENAMES = `${dir}/vk_swiftshader_icd.json`;
}
const r = spawnSync(process.execPath, process.argv.slice(2), { stdio: "inherit", env });
process.exit(r.status ?? 1);
