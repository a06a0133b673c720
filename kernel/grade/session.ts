/**
 * One submission's kernel while it is graded: started (sandboxed by default) in a private copy of
 * the submission, asked to run code with a deadline, interrupted or killed when it overruns, and
 * started again when it dies. Every failure comes back as a named cause, never as a throw.
 */
import { KernelDiedError, launchKernel, type ReceivedMessage, type RunningKernel } from "../client.js";
import { OOM_LOG, type SandboxLimits } from "../sandbox.js";

/** Why a request produced no reply. */
export type Cause = "Timeout" | "KernelDied" | "OutOfMemory";

export interface ExecOutcome {
  /** The execute_reply content, when one came. */
  reply?: Record<string, unknown>;
  failure?: { cause: Cause; message: string };
}

export interface SessionOptions {
  /** The private folder the kernel runs in (a copy of the submission). */
  dir: string;
  /** Sandbox limits, or null to run without a sandbox (--no-sandbox). */
  sandbox: SandboxLimits | null;
  /** Bytes of printed text per request the kernel sends at most (the grader's cap is the one that counts). */
  maxOutput: number;
}

/**
 * Why a kernel died: the launcher's own words (exit status or signal; which limit ended it: the
 * memory cgroup, the watchdog, V8's heap, the CPU time) without its log, and whether memory ran out.
 */
function deathOf(kernel: RunningKernel, error: string): { cause: Cause; message: string } {
  const exit = kernel.exit?.();
  const oom = exit?.outOfMemory || OOM_LOG.test(kernel.stderr());
  const message = error.split("; its log ends:")[0].trim() || "the kernel died";
  return { cause: oom ? "OutOfMemory" : "KernelDied", message };
}

export class KernelSession {
  private kernel: RunningKernel | null = null;
  /** Kernels started so far (the first one included). */
  starts = 0;

  constructor(private readonly opts: SessionOptions) {}

  get alive(): boolean {
    const p = this.kernel?.process;
    return !!p && p.exitCode === null && p.signalCode === null;
  }

  async start(): Promise<void> {
    await this.stop();
    this.starts++;
    this.kernel = await launchKernel({
      keepAllIopub: false,
      // A kernel is untrusted: one giant message must not fill the grader's memory.
      maxMessageBytes: 256 * 1024 * 1024,
      cwd: this.opts.dir,
      // Type diagnostics off: the grader's own requests would draw warnings into test output, and
      // a class's worth of language services costs memory and time for nothing graded.
      env: { ...process.env, GRADNOTE_THREADS: process.env.GRADNOTE_GRADE_THREADS ?? "1", GRADNOTE_MAX_OUTPUT: String(this.opts.maxOutput), GRADNOTE_TYPECHECK: "off" },
      ...(this.opts.sandbox ? { sandbox: { limits: this.opts.sandbox, writable: this.opts.dir } } : {}),
    });
    this.kernel.client.onInput = () => "";
  }

  /**
   * Runs code with a deadline. On overrun the kernel is interrupted; one that does not come back
   * within a few seconds is killed (the next request starts a fresh one).
   */
  async exec(code: string, timeoutMs: number, opts: { storeHistory?: boolean; onIopub?: (m: ReceivedMessage) => void } = {}): Promise<ExecOutcome> {
    if (!this.alive) return { failure: { cause: "KernelDied", message: "the kernel is not running" } };
    const kernel = this.kernel!;
    try {
      const r = await kernel.client.execute(code, { allow_stdin: false, stop_on_error: false, store_history: opts.storeHistory ?? false, silent: false }, Math.max(1, timeoutMs), { onIopub: opts.onIopub ?? (() => undefined) });
      return { reply: r.reply.content };
    } catch (e) {
      if (e instanceof KernelDiedError || !this.alive) {
        await new Promise((r) => setTimeout(r, 50));
        return { failure: deathOf(kernel, (e as Error).message) };
      }
      await this.recover(kernel);
      return { failure: { cause: "Timeout", message: `did not finish within ${(timeoutMs / 1000).toFixed(timeoutMs < 10_000 ? 1 : 0)} s` } };
    }
  }

  /** After an overrun: interrupt, check the kernel answers again, else kill it. */
  private async recover(kernel: RunningKernel): Promise<void> {
    await kernel.client.request("interrupt_request", {}, "control", 3000).catch(() => undefined);
    try {
      const r = await kernel.client.execute("0", { store_history: false, silent: true, stop_on_error: false }, 5000);
      if (r.reply.content.status === "ok") return;
    } catch {
      // Falls through to the kill.
    }
    kernel.process.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 100));
  }

  async stop(): Promise<void> {
    const k = this.kernel;
    this.kernel = null;
    if (!k) return;
    if (k.process.exitCode === null && k.process.signalCode === null) {
      await Promise.race([k.shutdown(), new Promise((r) => setTimeout(r, 8000))]);
      if (k.process.exitCode === null && k.process.signalCode === null) k.process.kill("SIGKILL");
    } else await k.shutdown().catch(() => undefined);
  }
}
