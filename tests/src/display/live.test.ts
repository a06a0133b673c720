// liveCurve(): one display then throttled updates with the same id, a final update with every
// point; nothing but the final figure in plain Node. The real-kernel version is in live-kernel.test.ts.
import { afterEach, describe, expect, it, vi } from "vitest";
import { liveCurve, PLOTLY_MIME } from "../../../src/display/index.js";
import { tensor } from "../../../src/index.js";
import { fakeKernel } from "./helpers.js";

type Fig = { data: { name: string; x: number[]; y: (number | null)[]; yaxis?: string }[]; layout: Record<string, unknown> };
let restore = () => {};
afterEach(() => {
  restore();
  vi.useRealTimers();
});

describe("liveCurve", () => {
  it("sends one display, at most 10 updates a second, and a final update holding every point", () => {
    vi.useFakeTimers();
    const k = fakeKernel();
    restore = k.restore;
    const curve = liveCurve({ title: "loss" });
    for (let step = 0; step < 300; step++) {
      vi.advanceTimersByTime(7); // 2.1 s of training
      curve.log({ train: 1 / (step + 1), ...(step % 50 === 49 ? { val: tensor(2 / (step + 1)), accuracy: step / 300 } : {}) });
    }
    curve.done();
    expect(k.messages[0].kind).toBe("display");
    expect(new Set(k.messages.map((m) => m.displayId)).size).toBe(1);
    const updates = k.messages.filter((m) => m.kind === "update");
    expect(updates.length).toBeGreaterThanOrEqual(15);
    expect(updates.length).toBeLessThanOrEqual(2100 / 100 + 2);
    for (let i = 2; i < k.messages.length - 1; i++) expect(k.messages[i].at - k.messages[i - 1].at).toBeGreaterThanOrEqual(100);
    const final = k.messages[k.messages.length - 1].data[PLOTLY_MIME] as Fig;
    expect(final.data.map((t) => [t.name, t.y.length])).toEqual([["train", 300], ["val", 6], ["accuracy", 6]]);
    expect(final.data[0].x[299]).toBe(299);
    expect(final.data[2].yaxis).toBe("y2");
    expect(k.messages[k.messages.length - 1].data["text/plain"]).toBe("LiveCurve(step 299: train=0.00333333 val=0.00666667 accuracy=0.996667)");
  });

  it("sends pending points when the event loop turns, without waiting for the next log()", async () => {
    const k = fakeKernel();
    restore = k.restore;
    const curve = liveCurve({ interval: 20 });
    curve.log({ a: 1 });
    curve.log({ a: 2 }); // throttled
    expect(k.messages).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 60));
    expect(k.messages).toHaveLength(2);
    expect((k.messages[1].data[PLOTLY_MIME] as Fig).data[0].y).toEqual([1, 2]);
  });

  it("thins intermediate updates but never the final one", () => {
    vi.useFakeTimers();
    const k = fakeKernel();
    restore = k.restore;
    const curve = liveCurve({ maxPoints: 50 });
    for (let i = 0; i < 500; i++) {
      vi.advanceTimersByTime(1);
      curve.log({ loss: i });
    }
    vi.advanceTimersByTime(200);
    const mid = k.messages[k.messages.length - 1].data[PLOTLY_MIME] as Fig;
    expect(mid.data[0].y.length).toBe(50);
    expect(mid.data[0].y[49]).toBe(499);
    curve.done();
    expect((k.messages[k.messages.length - 1].data[PLOTLY_MIME] as Fig).data[0].y.length).toBe(500);
  });

  it("prints only the final summary in plain Node and refuses log() after done()", () => {
    const printed: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((s: string) => printed.push(String(s)) > 0) as typeof write;
    try {
      const curve = liveCurve();
      for (let i = 0; i < 5; i++) curve.log({ loss: 5 - i });
      curve.done();
    } finally {
      process.stdout.write = write;
    }
    expect(printed).toEqual(["LiveCurve(step 4: loss=1)\n"]);
    const curve = liveCurve();
    curve.done();
    expect(() => curve.log({ loss: 0 })).toThrow("liveCurve: log() after done()");
    expect(() => liveCurve({ interval: -1 })).toThrow("liveCurve: interval must be >= 0 ms, got -1");
  });
});
