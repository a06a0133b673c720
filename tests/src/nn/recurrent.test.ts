// RNN, LSTM and GRU against PyTorch (fixtures/modules.json, generated once by
// tests/src/nn/gen_reference.py with python3-torch 1.13): outputs, final states and all gradients.
import { describe, expect, it } from "vitest";
import { nn, tensor } from "../../../src/index.js";
import { checkCase, fill } from "./fixture-util.js";

describe("recurrent layers match PyTorch (float64)", () => {
  it("RNN, 2 layers, tanh", () => checkCase("rnn_2layer", new nn.RNN(3, 4, { numLayers: 2 })));
  it("RNN, relu, bidirectional, batchFirst", () =>
    checkCase("rnn_relu_bidir_bf", new nn.RNN(3, 4, { nonlinearity: "relu", bidirectional: true, batchFirst: true })));
  it("LSTM, one layer", () => checkCase("lstm", new nn.LSTM(3, 4)));
  it("LSTM, 2 layers, bidirectional, batchFirst", () =>
    checkCase("lstm_2layer_bidir_bf", new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true })));
  it("LSTM with given h0 and c0", () =>
    checkCase("lstm_h0c0", new nn.LSTM(3, 4), { extra: [fill([1, 2, 4], 30), fill([1, 2, 4], 31)] }));
  it("LSTM on an unbatched sequence", () => checkCase("lstm_unbatched", new nn.LSTM(3, 4)));
  it("GRU, 2 layers", () => checkCase("gru_2layer", new nn.GRU(3, 4, { numLayers: 2 })));
  it("GRU, bidirectional, batchFirst", () => checkCase("gru_bidir_bf", new nn.GRU(3, 4, { bidirectional: true, batchFirst: true })));
});

describe("recurrent layer API", () => {
  it("LSTM returns [output, [h, c]] with PyTorch's shapes", () => {
    const lstm = new nn.LSTM(6, 8, { batchFirst: true, numLayers: 2 });
    const [out, [h, c]] = lstm.forward(fill([4, 7, 6], 1).float());
    expect(out.shape).toEqual([4, 7, 8]);
    expect(h.shape).toEqual([2, 4, 8]);
    expect(c.shape).toEqual([2, 4, 8]);
  });

  it("initialises every weight from U(-1/√hidden, 1/√hidden)", () => {
    const gru = new nn.GRU(5, 16);
    for (const p of gru.parameters()) for (const v of p.dataSync()) expect(Math.abs(v)).toBeLessThanOrEqual(0.25);
    expect([...gru.namedParameters()].map(([k, p]) => `${k}:${p.shape}`)).toEqual([
      "weight_ih_l0:48,5", "weight_hh_l0:48,16", "bias_ih_l0:48", "bias_hh_l0:48",
    ]);
  });

  it("cells take one step", () => {
    const cell = new nn.LSTMCell(3, 5);
    const [h, c] = cell.forward(tensor([[1, 2, 3]]));
    expect(h.shape).toEqual([1, 5]);
    expect(c.shape).toEqual([1, 5]);
    expect(new nn.GRUCell(3, 5).forward(tensor([[1, 2, 3]]), h).shape).toEqual([1, 5]);
    expect(new nn.RNNCell(3, 5).forward(tensor([[1, 2, 3]])).shape).toEqual([1, 5]);
  });

  it("errors name the layer and the shapes", () => {
    const lstm = new nn.LSTM(3, 4);
    expect(() => lstm.forward(fill([5, 2, 2], 1).float())).toThrow("LSTM: input.size(-1) must be equal to inputSize 3, got shape [5,2,2]");
    expect(() => lstm.forward(fill([5, 2, 3], 1).float(), [fill([1, 3, 4], 1).float(), fill([1, 3, 4], 1).float()])).toThrow(
      "LSTM: expected hidden state h0 of shape [1,2,4], got [1,3,4]",
    );
    expect(() => new nn.RNN(3, 4, { nonlinearity: "sigmoid" as "tanh" })).toThrow(/RNN: option nonlinearity="sigmoid" is not supported; accepted: "tanh", "relu"/);
  });
});
