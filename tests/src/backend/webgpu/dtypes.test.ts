// webgpu and the backend seams: float64 is refused with an error that names it (WGSL has no f64),
// gradcheck says to run on cpu, and the shared training workload on webgpu (fused kernels,
// optimizer state on the device) matches the cpu-ref reference within float32 tolerance.
import { afterEach, expect, it, vi } from "vitest";
import { gradcheck, randn, setBackend, tensor, zeros } from "../../../../src/index.js";
import { backendNamed } from "../../../../src/backend/backend.js";
import { maxDiff, runWorkload } from "../workload.js";
import { describeGpu } from "./gpu-env.js";

describeGpu("webgpu dtypes and capabilities", () => {
  afterEach(() => {
    setBackend("cpu");
    vi.restoreAllMocks();
  });

  it("refuses float64 by name instead of storing float32", () => {
    expect(backendNamed("webgpu").dtypes).not.toContain("float64");
    expect(() => zeros([2], { dtype: "float64", device: "webgpu" })).toThrow(
      'the webgpu backend has no float64 (WGSL has no f64); use float32 (x.float(), { dtype: "float32" }) or compute in float64 on cpu: x.to("cpu").double()',
    );
    expect(() => tensor([1, 2], { dtype: "float64" }).to("webgpu")).toThrow('to("webgpu"): the webgpu backend has no float64 (WGSL has no f64)');
    expect(() => randn([2]).to("webgpu").double()).toThrow("to(float64): the webgpu backend has no float64");
  });

  it("gradcheck on webgpu says it needs float64 and to run on cpu", () => {
    const x = randn([3]).to("webgpu").requiresGrad_();
    expect(() => gradcheck((t) => t.mul(t), [x])).toThrow(
      'gradcheck: needs float64 inputs, and the webgpu backend has no float64 (WGSL has no f64); run gradcheck on cpu: x.to("cpu").double()',
    );
  });

  it("the shared workload takes webgpu's fused paths and matches cpu-ref", () => {
    const be = backendNamed("webgpu");
    expect(be.onDevice).toBe(true);
    const spies = (["addmmActivation", "lstmCell", "gruCell", "optimizerStep"] as const).map((k) => vi.spyOn(be, k));
    const gpuRun = runWorkload("webgpu", 3);
    for (const s of spies) expect(s).toHaveBeenCalled();
    const ref = runWorkload("cpu-ref", 3);
    expect(maxDiff(gpuRun, ref)).toBeLessThan(1e-4);
  });
});
