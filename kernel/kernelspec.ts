/**
 * Writes the kernelspec (kernel.json + logos + plotly.min.js) that makes Jupyter list "TypeScript (gradnote)".
 * kernel.json runs this checkout's dist/kernel.mjs with the current Node.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { KERNEL_NODE_FLAGS } from "./node-flags.js";

const root = fileURLToPath(new URL("..", import.meta.url));

export interface InstallOptions {
  /** Install under PREFIX/share/jupyter/kernels instead of the user's data dir. */
  prefix?: string;
  name?: string;
  displayName?: string;
}

function userDataDir(): string {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === "darwin") return join(homedir(), "Library", "Jupyter");
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), ".local", "share"), "jupyter");
}

export function installKernelspec(opts: InstallOptions = {}): string {
  const name = opts.name ?? "gradnote";
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) throw new Error(`install: kernel name ${JSON.stringify(name)} may only hold letters, digits, . _ -`);
  const base = opts.prefix ? join(opts.prefix, "share", "jupyter") : userDataDir();
  const dir = join(base, "kernels", name);
  mkdirSync(dir, { recursive: true });
  const template = JSON.parse(readFileSync(join(root, "kernelspec", "kernel.json"), "utf8")) as Record<string, unknown>;
  const spec = {
    ...template,
    argv: (template.argv as string[]).flatMap((a) =>
      a === "{node_flags}" ? [...KERNEL_NODE_FLAGS] : [a.replace("{node}", process.execPath).replace("{kernel}", join(root, "dist", "kernel.mjs"))],
    ),
    display_name: opts.displayName ?? template.display_name,
    // The kernel's plots fetch plotly.js from <base>/kernelspecs/<name>/, so they need the name.
    env: { ...(template.env as Record<string, string> | undefined), GRADNOTE_KERNEL_NAME: name },
  };
  writeFileSync(join(dir, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
  for (const logo of ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"]) {
    const src = join(root, "kernelspec", logo);
    if (existsSync(src)) copyFileSync(src, join(dir, logo));
  }
  // Jupyter servers serve this folder at <base>/kernelspecs/<name>/: plots load plotly.js from
  // here once per page instead of carrying it in every output (src/display/plotly-html.ts).
  const plotly = join(root, "dist", "plotly.min.js");
  if (existsSync(plotly)) copyFileSync(plotly, join(dir, "plotly.min.js"));
  return dir;
}
