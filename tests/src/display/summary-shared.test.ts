// summary() with a layer used at two places (issue 9 item 7): a layer registered under two names
// or called twice in forward shows at each place, its parameters counted once.
import { describe, expect, it } from "vitest";
import { nn, randn, summary } from "../../../src/index.js";
import type { Tensor } from "../../../src/index.js";

class Twice extends nn.Module {
  fc1 = new nn.Linear(4, 4);
  act = new nn.ReLU();
  fc2 = new nn.Linear(4, 2);
  override forward(x: Tensor): Tensor {
    return this.fc2(this.act(this.fc1(this.act(x))));
  }
}

describe("summary with shared layers", () => {
  it("a layer registered twice appears at both names, counted once", () => {
    const l = new nn.Linear(3, 3);
    const model = new nn.Sequential(l, new nn.ReLU(), l);
    const s = summary(model);
    expect(s.rows).toEqual([
      { name: "0", type: "Linear", params: 12 },
      { name: "1", type: "ReLU", params: 0 },
      { name: "2", type: "Linear", params: 0, sameAs: "0" },
    ]);
    expect(s.total).toBe(12);
    expect(s.toString()).toContain("Linear (= 0)");
    expect(s.toString()).toContain("(shared)");
  });

  it("with an input, rows follow the calls: a layer called twice shows twice with both output shapes", () => {
    const s = summary(new Twice(), randn([5, 4]));
    expect(s.rows).toEqual([
      { name: "act", type: "ReLU", params: 0, outputShape: [5, 4] },
      { name: "fc1", type: "Linear", params: 20, outputShape: [5, 4] },
      { name: "act", type: "ReLU", params: 0, outputShape: [5, 4], sameAs: "act" },
      { name: "fc2", type: "Linear", params: 10, outputShape: [5, 2] },
    ]);
    expect(s.toString()).toContain("ReLU (again)");
    const shared = new nn.Linear(2, 2);
    const seq = new nn.Sequential(shared, new nn.Tanh(), shared);
    expect(summary(seq, randn([1, 2])).rows.map((r) => [r.name, r.params, r.sameAs])).toEqual([
      ["0", 6, undefined], ["1", 0, undefined], ["2", 0, "0"],
    ]);
  });
});
