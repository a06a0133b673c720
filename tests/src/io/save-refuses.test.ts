// save(model, path) and other non-state-dict values say what to write (issue 9 item 7).
import { describe, expect, it } from "vitest";
import { nn, optim, save, tensor, io } from "../../../src/index.js";

describe("save refuses what safetensors cannot hold", () => {
  it("a model: write save(model.stateDict(), path)", () => {
    const model = new nn.Linear(2, 1);
    expect(() => save(model as never, "/tmp/never-written.safetensors")).toThrow(
      "save: got a module (Linear); gradnote saves named tensors, not whole models: write save(model.stateDict(), path) and later model.loadStateDict(load(path))",
    );
    expect(() => io.serialize(new nn.Sequential(model) as never)).toThrow(/serialize: got a module \(Sequential\).*write serialize\(model.stateDict\(\), path\)/);
  });

  it("an optimizer, a lone tensor, an array", () => {
    const model = new nn.Linear(2, 1);
    expect(() => save(new optim.SGD(model.parameters(), 0.1) as never, "/tmp/x")).toThrow(/save: got an optimizer \(SGD\)/);
    expect(() => save(tensor([1, 2]) as never, "/tmp/x")).toThrow("save: got one Tensor; name it: save({ x: t }, path)");
    expect(() => save([tensor([1])] as never, "/tmp/x")).toThrow(/save: expected named tensors .* got an array/);
  });
});
