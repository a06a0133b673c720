// Shared helpers for kernel suites: start the real kernel process (dist/kernel.mjs, built by
// global-setup) and read outputs the way a front end does.
import { fileURLToPath } from "node:url";
import { launchKernel, type ReceivedMessage, type RequestResult, type RunningKernel } from "../../kernel/client.js";

export const KERNEL_PATH = fileURLToPath(new URL("../../dist/kernel.mjs", import.meta.url));

export function startKernel(opts: { cwd?: string; key?: string } = {}): Promise<RunningKernel> {
  return launchKernel({ ...opts, kernelPath: KERNEL_PATH });
}

/** The msg_types of a request's iopub messages, in order. */
export const types = (r: RequestResult) => r.iopub.map((m) => m.header.msg_type);

export function outputs(r: RequestResult, type: string): ReceivedMessage[] {
  return r.iopub.filter((m) => m.header.msg_type === type);
}

export function stdout(r: RequestResult): string {
  return outputs(r, "stream").filter((m) => m.content.name === "stdout").map((m) => m.content.text).join("");
}

export function result(r: RequestResult): unknown {
  const m = outputs(r, "execute_result")[0];
  return m ? (m.content.data as Record<string, unknown>)["text/plain"] : undefined;
}

/** Strips ANSI colour codes from traceback text. */
export const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
