/**
 * Jupyter wire format: ZeroMQ multipart frames <-> Message, with HMAC-SHA256 signing.
 * The signature is checked over the exact bytes received, in constant time; an empty key means
 * unsigned. No socket handling here (see protocol-worker.ts).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { v4 as uuid } from "uuid";
import { PROTOCOL_VERSION, type Header, type Message } from "./messages.js";

const DELIMITER = "<IDS|MSG>";

/** Why a frame set was rejected; `parent` is set when the header could still be read. */
export class WireError extends Error {
  constructor(
    message: string,
    readonly identities: Buffer[] = [],
    readonly header?: Header,
  ) {
    super(message);
    this.name = "WireError";
  }
}

export class Signer {
  private readonly key: Buffer;
  constructor(key: string, readonly scheme = "hmac-sha256") {
    this.key = Buffer.from(key, "utf8");
    if (this.key.length > 0 && scheme !== "hmac-sha256") {
      throw new Error(`unsupported signature_scheme: ${scheme} (only hmac-sha256)`);
    }
  }

  get enabled(): boolean {
    return this.key.length > 0;
  }

  sign(parts: Buffer[]): string {
    if (!this.enabled) return "";
    const h = createHmac("sha256", this.key);
    for (const p of parts) h.update(p);
    return h.digest("hex");
  }

  verify(signature: Buffer, parts: Buffer[]): boolean {
    if (!this.enabled) return true;
    const expected = Buffer.from(this.sign(parts), "ascii");
    return signature.length === expected.length && timingSafeEqual(signature, expected);
  }
}

function parseJsonObject(frame: Buffer, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(frame.toString("utf8"));
  } catch (e) {
    throw new WireError(`invalid JSON in ${what} frame: ${(e as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new WireError(`${what} frame is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

function validateHeader(h: Record<string, unknown>): Header {
  for (const field of ["msg_id", "msg_type"] as const) {
    if (typeof h[field] !== "string" || (h[field] as string).length === 0) {
      throw new WireError(`header.${field} is missing or not a string`);
    }
  }
  return {
    msg_id: h.msg_id as string,
    msg_type: h.msg_type as string,
    session: typeof h.session === "string" ? h.session : "",
    username: typeof h.username === "string" ? h.username : "",
    date: typeof h.date === "string" ? h.date : "",
    version: typeof h.version === "string" ? h.version : PROTOCOL_VERSION,
    ...(h.subshell_id !== undefined ? { subshell_id: h.subshell_id as string | null } : {}),
  };
}

/**
 * Decodes and verifies a multipart message. Throws WireError (with the routing identities, so
 * the caller can log it) when frames are malformed or the signature does not match.
 */
export function decode(frames: Buffer[], signer: Signer): Message {
  const delim = frames.findIndex((f) => f.length === DELIMITER.length && f.toString("latin1") === DELIMITER);
  if (delim < 0) throw new WireError("no <IDS|MSG> delimiter frame");
  const identities = frames.slice(0, delim);
  const rest = frames.slice(delim + 1);
  if (rest.length < 5) throw new WireError(`expected at least 5 frames after the delimiter, got ${rest.length}`, identities);
  const [signature, headerF, parentF, metadataF, contentF, ...buffers] = rest;
  if (!signer.verify(signature, [headerF, parentF, metadataF, contentF])) {
    throw new WireError("bad or missing HMAC signature", identities);
  }
  const header = validateHeader(parseJsonObject(headerF, "header"));
  try {
    return {
      identities,
      header,
      parent_header: parseJsonObject(parentF, "parent_header") as Partial<Header>,
      metadata: parseJsonObject(metadataF, "metadata"),
      content: parseJsonObject(contentF, "content"),
      buffers,
    };
  } catch (e) {
    throw new WireError((e as Error).message, identities, header);
  }
}

export function makeHeader(msgType: string, session: string, username = "gradnote"): Header {
  return {
    msg_id: uuid(),
    session,
    username,
    date: new Date().toISOString(),
    msg_type: msgType,
    version: PROTOCOL_VERSION,
  };
}

/** Serialises and signs a message into frames (identities first). */
export function encode(
  msg: Pick<Message, "header" | "parent_header" | "metadata" | "content"> & { identities?: Buffer[]; buffers?: Buffer[] },
  signer: Signer,
): Buffer[] {
  const parts = [
    Buffer.from(JSON.stringify(msg.header)),
    Buffer.from(JSON.stringify(msg.parent_header ?? {})),
    Buffer.from(JSON.stringify(msg.metadata ?? {})),
    Buffer.from(JSON.stringify(msg.content ?? {})),
  ];
  return [
    ...(msg.identities ?? []),
    Buffer.from(DELIMITER),
    Buffer.from(signer.sign(parts)),
    ...parts,
    ...(msg.buffers ?? []),
  ];
}
