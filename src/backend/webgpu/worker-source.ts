/**
 * Source of the device worker: the thread that owns the Dawn instance, adapter and device.
 * It only executes commands (alloc, free, write, run a WGSL program, read) sent by device.ts;
 * it knows nothing about ops. Kept as a string so it runs unchanged from src/ and from dist/.
 */

/** JavaScript run by `new Worker(src, { eval: true })`; `workerData` = { mod, control, text }. */
export const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require("node:worker_threads");
const ctl = new Int32Array(workerData.control);
const text = new Uint8Array(workerData.text);
// ctl[0]: read sequence done; ctl[1]: status (1 ok, 2 error); ctl[2]: batches done; ctl[3]: ready
const enc = new TextEncoder();
function report(seq, status, msg) {
  const bytes = enc.encode(String(msg || "")).subarray(0, text.length - 4);
  new DataView(workerData.text).setUint32(0, bytes.length, true);
  text.set(bytes, 4);
  Atomics.store(ctl, 1, status);
  Atomics.store(ctl, 0, seq);
  Atomics.notify(ctl, 0);
}
let gpu = null, device = null, errors = [];
const buffers = new Map();          // id -> { buf, size }
const pool = new Map();             // bucket size -> GPUBuffer[]
let pooledBytes = 0, liveBytes = 0;
const POOL_CAP = workerData.poolCap;
const pipelines = new Map();        // cacheKey -> GPUComputePipeline
const inflight = [];
const STORAGE = 0x80 | 0x08 | 0x04; // STORAGE | COPY_DST | COPY_SRC
function bucket(bytes) {
  let b = 256;
  while (b < bytes) b *= 2;
  return b;
}
function getBuffer(bytes) {
  const size = bucket(bytes);
  const list = pool.get(size);
  if (list && list.length) { pooledBytes -= size; liveBytes += size; return { buf: list.pop(), size }; }
  liveBytes += size;
  return { buf: device.createBuffer({ size, usage: STORAGE }), size };
}
function release(entry) {
  liveBytes -= entry.size;
  if (pooledBytes + entry.size > POOL_CAP) { entry.buf.destroy(); return; }
  let list = pool.get(entry.size);
  if (!list) pool.set(entry.size, (list = []));
  list.push(entry.buf);
  pooledBytes += entry.size;
}
async function compile(cmd) {
  if (pipelines.has(cmd.key)) return;
  if (!cmd.code) throw new Error("no WGSL for program " + cmd.key);
  device.pushErrorScope("validation");
  const module = device.createShaderModule({ code: cmd.code });
  const p = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } });
  const err = await device.popErrorScope();
  if (err) {
    const info = await module.getCompilationInfo();
    const msgs = info.messages.map((m) => m.lineNum + ":" + m.linePos + " " + m.message).join("; ");
    throw new Error("program " + cmd.key + " failed to compile: " + (msgs || err.message));
  }
  pipelines.set(cmd.key, p);
}
async function start() {
  try {
    const { create, globals } = await import(workerData.mod);
    Object.assign(globalThis, globals);
    // Referenced for the life of the thread: collecting it crashes Dawn.
    gpu = globalThis.__gradnoteGpu = create([]);
    const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
    if (!adapter) return report(-1, 2, "no WebGPU adapter found (no GPU driver; see DESIGN.md for SwiftShader)");
    const limits = {};
    for (const k of ["maxStorageBufferBindingSize", "maxBufferSize", "maxComputeWorkgroupStorageSize", "maxStorageBuffersPerShaderStage"]) limits[k] = adapter.limits[k];
    device = await adapter.requestDevice({ requiredLimits: limits });
    device.addEventListener?.("uncapturederror", (e) => errors.push(e.error ? e.error.message : String(e)));
    device.onuncapturederror = (e) => errors.push(e.error ? e.error.message : String(e));
    const i = adapter.info || {};
    const name = [i.vendor, i.architecture, i.device, i.description].filter(Boolean).join(" ");
    report(-1, 1, JSON.stringify({ name, limits }));
  } catch (e) {
    report(-1, 2, "WebGPU failed to start: " + (e && e.message ? e.message : e));
  }
}
const ready = start();
const queue = [];
let running = false;
parentPort.on("message", (m) => { queue.push(m); if (!running) pump(); });
async function pump() {
  running = true;
  await ready;
  while (queue.length) {
    const batch = queue.shift();
    try {
      await runBatch(batch);
    } catch (e) {
      errors.push(e && e.message ? e.message : String(e));
    }
    Atomics.add(ctl, 2, 1);
    Atomics.notify(ctl, 2);
  }
  running = false;
}
async function runBatch(cmds) {
  for (const c of cmds) {
    if (c.t !== "run") continue;
    try { await compile(c); } catch (e) { errors.push(e.message); }
  }
  let nRuns = 0;
  for (const c of cmds) if (c.t === "run") nRuns++;
  const uniforms = nRuns ? device.createBuffer({ size: nRuns * 256, usage: 0x40 | 0x08, mappedAtCreation: true }) : null;
  const uview = uniforms ? new Uint32Array(uniforms.getMappedRange()) : null;
  let slot = 0;
  let encoder = device.createCommandEncoder();
  let pass = null;
  const temps = [];
  const endPass = () => { if (pass) { pass.end(); pass = null; } };
  const submit = () => {
    endPass();
    if (uniforms && uniforms.mapState === "mapped") uniforms.unmap();
    device.queue.submit([encoder.finish()]);
    encoder = device.createCommandEncoder();
  };
  for (const c of cmds) {
    switch (c.t) {
      case "alloc": {
        const e = getBuffer(c.bytes);
        buffers.set(c.id, e);
        endPass();
        encoder.clearBuffer(e.buf, 0, e.size);
        break;
      }
      case "free": {
        const e = buffers.get(c.id);
        if (e) { buffers.delete(c.id); release(e); }
        break;
      }
      case "write": {
        const e = buffers.get(c.id);
        const bytes = c.data.byteLength;
        const staging = device.createBuffer({ size: Math.max(4, (bytes + 3) & ~3), usage: 0x04 | 0x08, mappedAtCreation: true });
        new Uint8Array(staging.getMappedRange()).set(new Uint8Array(c.data));
        staging.unmap();
        endPass();
        encoder.copyBufferToBuffer(staging, 0, e.buf, c.offset, (bytes + 3) & ~3);
        temps.push(staging);
        break;
      }
      case "run": {
        const p = pipelines.get(c.key);
        if (!p) continue;
        uview.set(c.params, slot * 64);
        const entries = c.bufs.map((id, k) => ({ binding: k, resource: { buffer: buffers.get(id).buf } }));
        entries.push({ binding: c.bufs.length, resource: { buffer: uniforms, offset: slot * 256, size: 256 } });
        slot++;
        const bg = device.createBindGroup({ layout: p.getBindGroupLayout(0), entries });
        if (!pass) pass = encoder.beginComputePass();
        pass.setPipeline(p);
        pass.setBindGroup(0, bg);
        pass.dispatchWorkgroups(c.grid[0], c.grid[1], c.grid[2]);
        break;
      }
      case "read": {
        const e = buffers.get(c.id);
        const size = (c.bytes + 3) & ~3;
        const rb = device.createBuffer({ size: Math.max(4, size), usage: 0x01 | 0x08 });
        endPass();
        if (size > 0) encoder.copyBufferToBuffer(e.buf, c.offset, rb, 0, size);
        submit();
        await rb.mapAsync(1);
        new Uint8Array(c.out).set(new Uint8Array(rb.getMappedRange(), 0, c.bytes));
        rb.unmap();
        rb.destroy();
        const err = errors.length ? errors[0].split("\n")[0] + (errors.length > 1 ? " (and " + (errors.length - 1) + " more errors)" : "") : "";
        errors = [];
        report(c.seq, err ? 2 : 1, err || JSON.stringify({ liveBytes, pooledBytes, buffers: buffers.size, pipelines: pipelines.size }));
        break;
      }
      case "close": {
        submit();
        await device.queue.onSubmittedWorkDone();
        for (const list of pool.values()) for (const b of list) b.destroy();
        device.destroy();
        report(c.seq, 1, "closed");
        parentPort.close();
        return;
      }
    }
  }
  submit();
  for (const t of temps) t.destroy();
  uniforms?.destroy();
  // Keep at most two batches queued on the GPU, so a long loop cannot run ahead without bound.
  inflight.push(device.queue.onSubmittedWorkDone());
  if (inflight.length > 2) await inflight.shift();
}
`;
