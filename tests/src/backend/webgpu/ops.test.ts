// The runtime's op suites re-run with "webgpu" in checkOp's backend sweep: every forward
// check is repeated on the device against the same expected values (float64 inputs are cast
// to float32 first, explicitly: webgpu has no float64), including broadcasting, permuted and
// strided views, and every backward (same upstream gradient) is compared with the default cpu
// backend's input gradients.
import { expect, it } from "vitest";
import { describeGpu, gpu } from "./gpu-env.js";

process.env.GRADNOTE_SWEEP_WEBGPU = "1";

describeGpu("webgpu op parity", () => {
  it("has an adapter", () => {
    expect(gpu.available, gpu.reason).toBe(true);
  });
});

if (gpu.available) {
  await import("../../ops/elementwise.test.js");
  await import("../../ops/reduce.test.js");
  await import("../../ops/matmul.test.js");
  await import("../../ops/conv.test.js");
  await import("../../ops/indexing.test.js");
  await import("../../ops/movement.test.js");
  await import("../../ops/join.test.js");
  await import("../../ops/inplace.test.js");
}
