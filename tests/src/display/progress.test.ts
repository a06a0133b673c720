// progress(): one output updated in place, throttled, with rate/ETA/postfix, always ending on
// its final state (also when the loop breaks); terminal text in plain Node.
import { afterEach, describe, expect, it, vi } from "vitest";
import { progress } from "../../../src/display/index.js";
import { formatDuration } from "../../../src/display/progress.js";
import { tensor } from "../../../src/index.js";
import { fakeKernel } from "./helpers.js";

let restore = () => {};
afterEach(() => {
  restore();
  vi.useRealTimers();
});

describe("progress", () => {
  it("updates one display in place, at most every 100 ms, and ends at 100%", () => {
    vi.useFakeTimers();
    const k = fakeKernel();
    restore = k.restore;
    const bar = progress(200, { desc: "train" });
    for (const i of bar) {
      vi.advanceTimersByTime(10); // 10 ms per step: 2 s in all
      if (i % 50 === 0) bar.setPostfix({ loss: tensor([0.5 / (i + 1)]) });
    }
    const ids = new Set(k.messages.map((m) => m.displayId));
    expect(ids.size).toBe(1);
    expect(k.messages[0].kind).toBe("display");
    expect(k.messages.filter((m) => m.kind === "update").length).toBeLessThanOrEqual(2000 / 100 + 2);
    const last = k.messages[k.messages.length - 1].data;
    expect(last["text/plain"]).toMatch(/^train: 100%\|█{20}\| 200\/200 \[00:02<00:00, 100\.0it\/s, loss=0\.003311\]$/);
    expect(last["text/html"]).toContain(">100%</span>");
    expect(last["text/html"]).toContain('data-n="200" data-total="200"');
  });

  it("shows where a loop stopped when it breaks out early", () => {
    const k = fakeKernel();
    restore = k.restore;
    for (const x of progress(["a", "b", "c", "d"])) if (x === "b") break;
    expect(k.messages[k.messages.length - 1].data["text/plain"]).toMatch(/^ 25%\|█████ {15}\| 1\/4 /);
  });

  it("works without a total and with async iterables", async () => {
    const k = fakeKernel();
    restore = k.restore;
    async function* gen() {
      yield 1;
      yield 2;
    }
    const seen: number[] = [];
    for await (const v of progress(gen(), { unit: "batch" })) seen.push(v);
    expect(seen).toEqual([1, 2]);
    expect(k.messages[k.messages.length - 1].data["text/plain"]).toMatch(/^2batch \[00:00, /);
    expect(k.messages[k.messages.length - 1].data["text/html"]).not.toContain("%</span>");
  });

  it("formats durations like tqdm and names bad arguments", () => {
    expect(formatDuration(75)).toBe("01:15");
    expect(formatDuration(3725)).toBe("1:02:05");
    expect(() => progress(-1)).toThrow("progress: a count must be an integer >= 0, got -1");
    expect(() => progress({} as never)).toThrow("progress: expected an iterable, an async iterable or a count, got object");
  });
});
