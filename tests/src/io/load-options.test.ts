// load(path, { weightsOnly, mapLocation }) reads as torch.load(path, weights_only=…,
// map_location=…); an unknown option is named, never ignored.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { load, nn, save } from "../../../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "gradnote-load-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("load options", () => {
  it("accepts weightsOnly and mapLocation and refuses unknown keys", () => {
    const model = new nn.Linear(2, 3);
    const path = join(dir, "m.safetensors");
    save(model.stateDict(), path);
    const sd = load(path, { weightsOnly: true, mapLocation: "cpu" });
    expect(sd.weight.device).toBe("cpu");
    expect(sd.weight.equal(model.weight)).toBe(true);
    const other = new nn.Linear(2, 3);
    other.loadStateDict(load(path, { weightsOnly: true }));
    expect(other.bias!.equal(model.bias!)).toBe(true);
    expect(() => load(path, { map_location: "cpu" } as never)).toThrow(/load: unknown option "map_location".*did you mean "mapLocation"/);
  });
});
