/**
 * A small validator for Jupyter messages, written from the messaging spec 5.3 ("Messaging in
 * Jupyter"): the message envelope, every reply content gradnote sends (ok, error and aborted
 * forms) and the iopub contents. Objects are closed (an unknown or camelCase field is an error).
 */

/** A check: the problems found in `v` at `path` (none when it conforms). */
export type Schema = (v: unknown, path: string) => string[];

const typeName = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
const isObject = (v: unknown): v is Record<string, unknown> => typeName(v) === "object";

export const str: Schema = (v, p) => (typeof v === "string" ? [] : [`${p}: expected a string, got ${typeName(v)}`]);
export const bool: Schema = (v, p) => (typeof v === "boolean" ? [] : [`${p}: expected a boolean, got ${typeName(v)}`]);
/** The spec's "int": a whole number. */
export const int: Schema = (v, p) => (Number.isInteger(v) ? [] : [`${p}: expected an integer, got ${JSON.stringify(v)}`]);
export const nul: Schema = (v, p) => (v === null ? [] : [`${p}: expected null, got ${typeName(v)}`]);
export const any: Schema = () => [];

export function lit(...values: (string | number | boolean)[]): Schema {
  return (v, p) => (values.includes(v as string) ? [] : [`${p}: expected one of ${values.map((x) => JSON.stringify(x)).join(", ")}, got ${JSON.stringify(v)}`]);
}

export function arr(items: Schema): Schema {
  return (v, p) => (Array.isArray(v) ? v.flatMap((x, i) => items(x, `${p}[${i}]`)) : [`${p}: expected an array, got ${typeName(v)}`]);
}

export function tuple(...items: Schema[]): Schema {
  return (v, p) => {
    if (!Array.isArray(v)) return [`${p}: expected an array, got ${typeName(v)}`];
    if (v.length !== items.length) return [`${p}: expected ${items.length} items, got ${v.length}`];
    return items.flatMap((s, i) => s(v[i], `${p}[${i}]`));
  };
}

/** One of several schemas (the problems of the closest one when none fits). */
export function oneOf(...options: Schema[]): Schema {
  return (v, p) => {
    const results = options.map((s) => s(v, p));
    if (results.some((r) => r.length === 0)) return [];
    return results.reduce((a, b) => (b.length < a.length ? b : a));
  };
}

/** A closed object: `required` and `optional` fields only. */
export function obj(required: Record<string, Schema>, optional: Record<string, Schema> = {}): Schema {
  return (v, p) => {
    if (!isObject(v)) return [`${p}: expected an object, got ${typeName(v)}`];
    const errors: string[] = [];
    for (const [k, s] of Object.entries(required)) {
      if (!(k in v)) errors.push(`${p}.${k}: missing`);
      else errors.push(...s(v[k], `${p}.${k}`));
    }
    for (const [k, s] of Object.entries(optional)) if (k in v) errors.push(...s(v[k], `${p}.${k}`));
    for (const k of Object.keys(v)) {
      if (!(k in required) && !(k in optional)) errors.push(`${p}.${k}: unexpected field${/[A-Z]/.test(k) ? " (camelCase)" : ""}`);
    }
    return errors;
  };
}

/** A free-form dict whose values all match `values` (user_expressions, comms). */
export function map(values: Schema = any): Schema {
  return (v, p) => (isObject(v) ? Object.entries(v).flatMap(([k, x]) => values(x, `${p}.${k}`)) : [`${p}: expected an object, got ${typeName(v)}`]);
}

/** A MIME bundle: keys are MIME types (the spec's `data` dict). */
export const mime: Schema = (v, p) => {
  if (!isObject(v)) return [`${p}: expected a MIME bundle object, got ${typeName(v)}`];
  return Object.keys(v).filter((k) => !/^[\w\-+.]+\/[\w\-+.]+$/.test(k)).map((k) => `${p}.${k}: not a MIME type`);
};

// ---- the envelope -------------------------------------------------------------------------

const headerSchema = obj(
  {
    msg_id: str,
    session: str,
    username: str,
    date: (v, p) => (typeof v === "string" && !Number.isNaN(Date.parse(v)) ? [] : [`${p}: expected an ISO 8601 date string`]),
    msg_type: str,
    version: (v, p) => (typeof v === "string" && /^5\.\d+$/.test(v) ? [] : [`${p}: expected a 5.x version string`]),
  },
  { subshell_id: oneOf(str, nul) },
);

// ---- replies ------------------------------------------------------------------------------

const errorReply = obj({ status: lit("error"), ename: str, evalue: str, traceback: arr(str) });

/** Reply content: the ok form given here, the common error form, and for execute the aborted form. */
function reply(ok: Schema): Schema {
  return (v, p) => {
    const status = isObject(v) ? v.status : undefined;
    if (status === "error") return errorReply(v, p);
    if (status === "ok") return ok(v, p);
    return [`${p}.status: expected "ok" or "error", got ${JSON.stringify(status)}`];
  };
}

const payloadItem = oneOf(
  obj({ source: lit("page"), data: mime, start: int }),
  obj({ source: lit("set_next_input"), text: str }, { replace: bool }),
  obj({ source: lit("edit_magic"), filename: str, line_number: int }),
  obj({ source: lit("ask_exit"), keepkernel: bool }),
);

const userExpression = oneOf(obj({ status: lit("ok"), data: mime, metadata: map() }), errorReply);

const executeReply: Schema = (v, p) => {
  const status = isObject(v) ? v.status : undefined;
  if (status === "ok") return obj({ status: lit("ok"), execution_count: int, user_expressions: map(userExpression), payload: arr(payloadItem) })(v, p);
  // ipykernel sends user_expressions and payload with an error too; the spec requires execution_count.
  if (status === "error") return obj({ status: lit("error"), execution_count: int, ename: str, evalue: str, traceback: arr(str) }, { user_expressions: map(userExpression), payload: arr(payloadItem) })(v, p);
  if (status === "aborted") return obj({ status: lit("aborted") })(v, p);
  return [`${p}.status: expected "ok", "error" or "aborted", got ${JSON.stringify(status)}`];
};

const historyEntry = oneOf(tuple(int, int, str), tuple(int, int, tuple(str, oneOf(str, nul))));

const isCompleteReply: Schema = (v, p) =>
  isObject(v) && v.status === "incomplete"
    ? obj({ status: lit("incomplete"), indent: str })(v, p)
    : obj({ status: lit("complete", "invalid", "unknown") })(v, p);

/** Content schemas by reply msg_type. */
export const REPLY_SCHEMAS: Record<string, Schema> = {
  kernel_info_reply: reply(
    obj(
      {
        status: lit("ok"),
        protocol_version: (v, p) => (typeof v === "string" && /^\d+\.\d+(\.\d+)?$/.test(v) ? [] : [`${p}: expected "X.Y" or "X.Y.Z"`]),
        implementation: str,
        implementation_version: str,
        language_info: obj(
          { name: str, version: str, mimetype: str, file_extension: str },
          { pygments_lexer: str, codemirror_mode: oneOf(str, map()), nbconvert_exporter: str },
        ),
        banner: str,
      },
      // debugger: added by the spec after 5.3, sent by ipykernel and read by JupyterLab.
      { help_links: arr(obj({ text: str, url: str })), debugger: bool },
    ),
  ),
  execute_reply: executeReply,
  complete_reply: reply(obj({ status: lit("ok"), matches: arr(str), cursor_start: int, cursor_end: int, metadata: map() })),
  inspect_reply: reply(obj({ status: lit("ok"), found: bool, data: mime, metadata: map() })),
  is_complete_reply: isCompleteReply,
  history_reply: reply(obj({ status: lit("ok"), history: arr(historyEntry) })),
  comm_info_reply: reply(obj({ status: lit("ok"), comms: map(obj({ target_name: str })) })),
  shutdown_reply: reply(obj({ status: lit("ok"), restart: bool })),
  interrupt_reply: reply(obj({ status: lit("ok") })),
};

// ---- iopub --------------------------------------------------------------------------------

/** Content schemas by iopub msg_type. */
export const IOPUB_SCHEMAS: Record<string, Schema> = {
  status: obj({ execution_state: lit("starting", "busy", "idle") }),
  execute_input: obj({ code: str, execution_count: int }),
  // gradnote_not_sent: gradnote's one extension (bytes past the output cap), for its runner.
  stream: obj({ name: lit("stdout", "stderr"), text: str }, { gradnote_not_sent: int }),
  display_data: obj({ data: mime, metadata: map() }, { transient: obj({}, { display_id: str }) }),
  update_display_data: obj({ data: mime, metadata: map(), transient: obj({ display_id: str }) }),
  execute_result: obj({ execution_count: int, data: mime, metadata: map() }, { transient: obj({}, { display_id: str }) }),
  error: obj({ ename: str, evalue: str, traceback: arr(str) }),
  clear_output: obj({ wait: bool }),
  comm_close: obj({ comm_id: str, data: map() }),
};

/** A received message as the project's client gives it. */
export interface Received {
  header: { msg_type: string };
  parent_header: object;
  metadata: object;
  content: object;
}

/**
 * The problems of one message: its envelope, and its content against the schema of its
 * msg_type (an unknown msg_type is a problem too). `channel` picks the schema table.
 */
export function validateMessage(m: Received, channel: "reply" | "iopub"): string[] {
  const type = m.header.msg_type;
  const errors = headerSchema(m.header, "header");
  if (!isObject(m.parent_header)) errors.push("parent_header: expected an object");
  else if (Object.keys(m.parent_header).length > 0) errors.push(...headerSchema(m.parent_header, "parent_header"));
  if (!isObject(m.metadata)) errors.push("metadata: expected an object");
  const schema = (channel === "reply" ? REPLY_SCHEMAS : IOPUB_SCHEMAS)[type];
  if (!schema) errors.push(`msg_type ${JSON.stringify(type)}: not a ${channel} message gradnote may send`);
  else errors.push(...schema(m.content, `${type}.content`));
  return errors;
}
