// The pool's measure of whether its workers keep up (pool.ts): split ops whose parts the caller
// ran alone make small products stay on the calling thread, with one in 16 still split so that
// the measure recovers when the workers take their share again.
import { describe, expect, it } from "vitest";
import { noteWorkerShare, workersKeepUp } from "../../../src/backend/pool/pool.js";

const keepUps = (n: number) => Array.from({ length: n }, () => workersKeepUp()).filter(Boolean).length;

describe("pool worker share", () => {
  it("keeps splitting while workers take their share", () => {
    for (let i = 0; i < 50; i++) noteWorkerShare(1, 2, 1);
    expect(keepUps(32)).toBe(32);
  });

  it("stops splitting small products when the caller runs every part, probing one call in 16", () => {
    for (let i = 0; i < 50; i++) noteWorkerShare(0, 2, 1);
    expect(keepUps(64)).toBe(4);
  });

  it("recovers once the workers run their parts again", () => {
    for (let i = 0; i < 50; i++) noteWorkerShare(0, 6, 1);
    expect(keepUps(16)).toBe(1);
    for (let i = 0; i < 50; i++) noteWorkerShare(3, 6, 1);
    expect(keepUps(16)).toBe(16);
  });

  it("ignores ops that were not split or had no worker", () => {
    for (let i = 0; i < 50; i++) noteWorkerShare(1, 2, 1);
    for (let i = 0; i < 50; i++) {
      noteWorkerShare(0, 1, 1);
      noteWorkerShare(0, 4, 0);
    }
    expect(keepUps(16)).toBe(16);
  });
});
