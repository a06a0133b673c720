/**
 * Runs transpiled JavaScript in V8's REPL mode through an in-process inspector session: `const`
 * and `class` can be declared again, top-level await works, and a terminated execution keeps
 * every variable. The synchronous part runs inside vm's SIGINT watchdog, so Ctrl-C (SIGINT)
 * stops `while (true) {}` too.
 */
import { Session } from "node:inspector";
import vm from "node:vm";

export type EvalResult =
  | { kind: "ok" }
  | { kind: "error"; error: unknown }
  | { kind: "interrupted" };

interface RemoteObject {
  type: string;
  subtype?: string;
  value?: unknown;
  unserializableValue?: string;
  description?: string;
  objectId?: string;
}

interface EvaluateResponse {
  result: RemoteObject;
  exceptionDetails?: { exception?: RemoteObject; text: string };
}

const session = new Session();
session.connect();

function post<T>(method: string, params: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    session.post(method, params, (err, res) => (err ? reject(err) : resolve(res as T)));
  });
}

/** Posts synchronously and returns the answer; only for methods that answer at once. */
function postSync<T>(method: string, params: Record<string, unknown>): T {
  let out: T | undefined;
  let error: Error | null = null;
  session.post(method, params, (err, res) => {
    error = err;
    out = res as T;
  });
  if (error) throw error;
  return out as T;
}

let pending: { expression: string; done: (r: EvalResult) => void } | undefined;
const g = globalThis as Record<string, unknown>;
g.__gnEvalPending = () => {
  const job = pending!;
  pending = undefined;
  session.post("Runtime.evaluate", { expression: job.expression, replMode: true, awaitPromise: true, objectGroup: "gn-eval" }, (err, res) => {
    if (err) {
      job.done(/terminated/i.test(err.message) ? { kind: "interrupted" } : { kind: "error", error: err });
      return;
    }
    const r = res as EvaluateResponse;
    if (r.exceptionDetails) job.done({ kind: "error", error: thrownValue(r.exceptionDetails.exception) });
    else job.done({ kind: "ok" });
    session.post("Runtime.releaseObjectGroup", { objectGroup: "gn-eval" });
  });
};
const runner = new vm.Script("__gnEvalPending()", { filename: "gradnote-evaluate" });

/** Recovers the live thrown value from its remote handle. */
function thrownValue(exc: RemoteObject | undefined): unknown {
  if (!exc) return new Error("unknown error");
  if (exc.objectId) {
    postSync("Runtime.callFunctionOn", {
      objectId: exc.objectId,
      functionDeclaration: "function () { globalThis.__gnThrown = this; }",
    });
    const v = g.__gnThrown;
    delete g.__gnThrown;
    return v;
  }
  if (exc.unserializableValue) return exc.unserializableValue;
  return exc.value;
}

/**
 * Evaluates code; resolves when its promise settles, or with `interrupted` when terminated.
 * `onStart` receives a function that finishes the evaluation early (used for interrupt).
 */
export function evaluate(expression: string, finishEarly: (finish: (r: EvalResult) => void) => void): Promise<EvalResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: EvalResult) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    finishEarly(done);
    pending = { expression, done };
    try {
      runner.runInThisContext({ breakOnSigint: true });
    } catch (e) {
      // SIGINT while the synchronous part ran: vm stopped it; the inspector callback never comes.
      if (/interrupted by `SIGINT`|Execution was terminated/.test(String((e as Error)?.message))) done({ kind: "interrupted" });
      else done({ kind: "error", error: e });
    }
  });
}

/** Evaluates an expression without side effects (for completion and inspection). */
export async function peek(expression: string): Promise<RemoteObject | undefined> {
  try {
    const r = await post<EvaluateResponse>("Runtime.evaluate", { expression, throwOnSideEffect: true, objectGroup: "gn-peek", timeout: 200 });
    return r.exceptionDetails ? undefined : r.result;
  } catch {
    return undefined;
  }
}

/** Calls `fn(value)` on a remote object and returns its JSON result. */
export async function callOn<T>(obj: RemoteObject, functionDeclaration: string): Promise<T | undefined> {
  if (!obj.objectId) return undefined;
  const r = await post<{ result: RemoteObject }>("Runtime.callFunctionOn", { objectId: obj.objectId, functionDeclaration, returnByValue: true });
  return r.result.value as T;
}

/** Fetches the live value behind a remote object (main thread, same isolate). */
export function liveValue(obj: RemoteObject): unknown {
  if (!obj.objectId) return obj.unserializableValue ?? obj.value;
  postSync("Runtime.callFunctionOn", { objectId: obj.objectId, functionDeclaration: "function () { globalThis.__gnPeeked = this; }" });
  const v = g.__gnPeeked;
  delete g.__gnPeeked;
  return v;
}

export function releasePeeks(): void {
  session.post("Runtime.releaseObjectGroup", { objectGroup: "gn-peek" });
}

/** Names declared with let/const/class at the top level of earlier cells. */
export async function lexicalNames(): Promise<string[]> {
  const r = await post<{ names: string[] }>("Runtime.globalLexicalScopeNames", {});
  return r.names;
}
