// An Embedding + LSTM + Linear model learns the next character of a repeating text to
// near-zero loss, then regenerates the text greedily.
import { describe, expect, it } from "vitest";
import { manualSeed, nn, noGrad, optim, tensor } from "../../../src/index.js";
import type { Tensor } from "../../../src/index.js";

class CharModel extends nn.Module {
  embed: nn.Embedding;
  lstm: nn.LSTM;
  head: nn.Linear;
  constructor(vocab: number) {
    super();
    this.embed = new nn.Embedding(vocab, 8);
    this.lstm = new nn.LSTM(8, 32, { batchFirst: true });
    this.head = new nn.Linear(32, vocab);
  }
  override forward(x: Tensor): Tensor {
    const [out] = this.lstm(this.embed(x));
    return this.head(out);
  }
}

describe("LSTM on a repeating text", () => {
  it("predicts the next character with near-zero loss", () => {
    manualSeed(0);
    const text = "hello world ".repeat(3);
    const vocab = [...new Set(text)];
    const ids = [...text].map((c) => vocab.indexOf(c));
    const x = tensor([ids.slice(0, -1)], { dtype: "int32" });
    const y = tensor(ids.slice(1), { dtype: "int32" });
    const model = new CharModel(vocab.length);
    const opt = new optim.Adam(model.parameters(), { lr: 0.02 });
    const lossFn = new nn.CrossEntropyLoss();
    let loss = Infinity;
    for (let step = 0; step < 150; step++) {
      opt.zeroGrad();
      const l = lossFn(model(x).reshape([-1, vocab.length]), y);
      l.backward();
      opt.step();
      loss = l.item();
    }
    expect(loss).toBeLessThan(0.05);
    const pred = noGrad(() => model(x).argmax(2).dataSync());
    expect(Array.from(pred, (i: number) => vocab[i]).join("")).toBe(text.slice(1));
  }, 120_000);
});
