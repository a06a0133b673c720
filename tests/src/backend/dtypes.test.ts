// Dtype honesty across backends: a backend that lacks a dtype refuses it with an error naming
// the dtype, the backend and what to write instead; nothing is narrowed or moved to cpu
// silently. Runs without a GPU on a stand-in backend that, like webgpu, has no float64.
import { afterEach, describe, expect, it } from "vitest";
import { backends, gradcheck, registerBackend, setBackend, tensor, zeros, randn } from "../../../src/index.js";
import { createCpuBackend } from "../../../src/backend/cpu/cpu-backend.js";
import { dtypeMissing } from "../../../src/backend/backend.js";

// The cpu kernels under another name, storing only 32-bit dtypes.
if (!backends().includes("f32-only")) {
  registerBackend("f32-only", () => ({ ...createCpuBackend("f32-only"), dtypes: ["float32", "int32", "bool"], dtypeGaps: { float64: "32-bit words only" } }));
}

const FIX = 'use float32 (x.float(), { dtype: "float32" }) or compute in float64 on cpu: x.to("cpu").double()';

describe("a backend without float64", () => {
  afterEach(() => setBackend("cpu"));

  it("refuses float64 creation, naming dtype, backend, reason and the fix", () => {
    expect(() => zeros([2], { dtype: "float64", device: "f32-only" })).toThrow(`the f32-only backend has no float64 (32-bit words only); ${FIX}`);
    setBackend("f32-only");
    expect(() => tensor([1.5, 2], { dtype: "float64" })).toThrow("the f32-only backend has no float64");
    expect(() => randn([3], { dtype: "float64" })).toThrow("the f32-only backend has no float64");
    // float32 is fine and stays on the backend.
    expect(tensor([1.5, 2]).device).toBe("f32-only");
  });

  it("refuses to move a float64 tensor in, and to cast to float64 there", () => {
    const d = tensor([1.5, 2], { dtype: "float64" });
    expect(() => d.to("f32-only")).toThrow(`to("f32-only"): the f32-only backend has no float64 (32-bit words only); ${FIX}`);
    const f = tensor([1.5, 2]).to("f32-only");
    expect(() => f.double()).toThrow("to(float64): the f32-only backend has no float64");
    expect(() => f.to("float64")).toThrow("to(float64): the f32-only backend has no float64");
    // The explicit narrowing the message recommends works, and the values survive.
    expect(d.float().to("f32-only").toArray()).toEqual([1.5, 2]);
  });

  it("gradcheck says it needs float64 and to run on cpu", () => {
    const x = randn([3]).to("f32-only").requiresGrad_();
    expect(() => gradcheck((t) => t.mul(t), [x])).toThrow(
      'gradcheck: needs float64 inputs, and the f32-only backend has no float64 (32-bit words only); run gradcheck on cpu: x.to("cpu").double() (input 0, shape [3], is float32 on f32-only)',
    );
    // On cpu, where float64 lives, the same check passes.
    expect(gradcheck((t) => t.mul(t), [x.detach().to("cpu").double().requiresGrad_()])).toBe(true);
  });

  it("dtypeMissing words other dtypes with the backend's list", () => {
    expect(dtypeMissing({ name: "tiny", dtypes: ["float32"] }, "int32", "zeros").message).toBe(
      'zeros: the tiny backend has no int32; use one of float32, or compute on cpu: x.to("cpu")',
    );
  });
});
