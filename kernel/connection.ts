/**
 * The connection file a Jupyter launcher writes: ports, ip, transport and key.
 * Validation names the field that is wrong.
 */
import { readFileSync } from "node:fs";

export interface ConnectionInfo {
  transport: "tcp" | "ipc";
  ip: string;
  key: string;
  signature_scheme: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  kernel_name?: string;
}

export type Channel = "shell" | "iopub" | "stdin" | "control" | "hb";
export const CHANNELS: readonly Channel[] = ["shell", "iopub", "stdin", "control", "hb"];

export function readConnectionFile(path: string): ConnectionInfo {
  const raw = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  const transport = (raw.transport ?? "tcp") as string;
  if (transport !== "tcp" && transport !== "ipc") throw new Error(`connection file: unsupported transport ${JSON.stringify(transport)}`);
  const info: ConnectionInfo = {
    transport,
    ip: typeof raw.ip === "string" ? raw.ip : "127.0.0.1",
    key: typeof raw.key === "string" ? raw.key : "",
    signature_scheme: typeof raw.signature_scheme === "string" ? raw.signature_scheme : "hmac-sha256",
    shell_port: 0,
    iopub_port: 0,
    stdin_port: 0,
    control_port: 0,
    hb_port: 0,
  };
  for (const ch of CHANNELS) {
    const v = raw[`${ch}_port`];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new Error(`connection file: ${ch}_port must be a non-negative integer`);
    info[`${ch}_port`] = v;
  }
  return info;
}

/** The ZeroMQ endpoint for a channel: tcp://ip:port, or ipc://ip-port as jupyter_client names it. */
export function endpoint(info: ConnectionInfo, ch: Channel): string {
  const port = info[`${ch}_port`];
  if (info.transport === "ipc") return `ipc://${info.ip}-${port}`;
  const host = info.ip.includes(":") ? `[${info.ip}]` : info.ip;
  return `tcp://${host}:${port}`;
}
