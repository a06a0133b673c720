/**
 * Shared by the interop suites: installs the real kernelspec (bin/gradnote.mjs install) into a
 * temporary Jupyter data dir and gives the environment that makes Debian's Jupyter tools find it.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** Debian's Python with jupyter_client & co.; a pyenv `python3` may come first on PATH. */
export const PYTHON = "/usr/bin/python3";
export const JUPYTER = "/usr/bin/jupyter";

export interface TempKernelspec {
  dir: string;
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

export function installTempKernelspec(): TempKernelspec {
  const dir = mkdtempSync(join(tmpdir(), "gradnote-jupyter-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JUPYTER_DATA_DIR: dir,
    JUPYTER_PATH: dir,
    JUPYTER_CONFIG_DIR: join(dir, "config"),
    JUPYTER_RUNTIME_DIR: join(dir, "runtime"),
    IPYTHONDIR: join(dir, "ipython"),
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };
  execFileSync(process.execPath, [join(ROOT, "bin", "gradnote.mjs"), "install"], { env, cwd: ROOT, stdio: "pipe" });
  return { dir, env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
