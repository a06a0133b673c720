// torch.accelerator as the current Quickstart uses it: the device line ports unchanged and
// names "cpu" when there is no GPU adapter, or the webgpu device when there is one.
import { describe, expect, it } from "vitest";
import * as torch from "../../../src/index.js";

describe("accelerator", () => {
  it("agrees with cuda.isAvailable() and gives a device the runtime accepts", () => {
    const device = torch.accelerator.isAvailable() ? torch.accelerator.currentAccelerator()!.type : "cpu";
    expect(torch.accelerator.isAvailable()).toBe(torch.cuda.isAvailable());
    expect(device).toBe(torch.cuda.isAvailable() ? "webgpu" : "cpu");
    expect(torch.accelerator.deviceCount()).toBe(torch.cuda.isAvailable() ? 1 : 0);
    if (!torch.accelerator.isAvailable()) expect(torch.accelerator.currentAccelerator()).toBeUndefined();
    expect(torch.zeros(2).to(device).device).toBe(device);
  });
});
