/**
 * The kernel's one way to call esbuild's transform. The async API talks to esbuild's service
 * process directly (transformSync would add a worker thread, ~13 MB, just to block on it); the
 * module is loaded on the first typed cell, since importing it costs ~50 ms of kernel startup.
 *
 * The service process holds ~16 MB. After IDLE_STOP_MS without a transform it is stopped, so an
 * idle kernel does not keep it; the next transform starts it again (~6 ms, once).
 */
import type { TransformOptions, TransformResult } from "esbuild";

/** GRADNOTE_ESBUILD_IDLE_MS overrides it (tests). */
const IDLE_STOP_MS = Number(process.env.GRADNOTE_ESBUILD_IDLE_MS) || 10_000;

let esbuild: Promise<typeof import("esbuild")> | undefined;
let inFlight = 0;
let idleTimer: NodeJS.Timeout | undefined;

export async function esbuildTransform(code: string, options: TransformOptions): Promise<TransformResult> {
  const api = await (esbuild ??= import("esbuild"));
  clearTimeout(idleTimer);
  inFlight++;
  try {
    return await api.transform(code, options);
  } finally {
    if (--inFlight === 0) {
      idleTimer = setTimeout(() => {
        if (inFlight === 0) void api.stop();
      }, IDLE_STOP_MS);
      idleTimer.unref();
    }
  }
}
