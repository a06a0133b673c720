// torchvision-style transforms: ToTensor scaling and layout, Normalize per channel, Compose
// and Lambda, callability, reprs, and the errors that say what to write instead.
import { describe, expect, it } from "vitest";
import { data, tensor, transforms } from "../../../src/index.js";

const { Compose, ToTensor, Normalize, Lambda } = transforms;

describe("Image", () => {
  it("shows as a PNG in Jupyter and as PIL's text elsewhere", () => {
    const img = new data.Image(2, 1, Uint8Array.from([0, 255]));
    const bundle = (img as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]();
    expect(bundle["text/plain"]).toBe("<Image mode=L size=2x1>");
    const png = Buffer.from(bundle["image/png"], "base64");
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([112, 56]); // enlarged 56×, no blur
    expect(img.size).toEqual([2, 1]);
    expect(() => new data.Image(2, 2, new Uint8Array(3))).toThrow("Image: 3 pixel values do not fill 2x2");
  });
});

describe("ToTensor", () => {
  it("turns an Image into float32 [1, H, W] in [0, 1]", () => {
    const img = new data.Image(3, 2, Uint8Array.from([0, 51, 255, 102, 204, 1]));
    const t = new ToTensor()(img);
    expect(t.shape).toEqual([1, 2, 3]);
    expect(t.dtype).toBe("float32");
    expect(Array.from(t.dataSync())).toEqual(Array.from(Float32Array.from([0, 0.2, 1, 0.4, 0.8, 1 / 255])));
  });

  it("scales by the image's maxValue (16 for the 8x8 digits)", () => {
    const t = new ToTensor().forward(new data.Image(2, 1, Uint8Array.from([16, 4]), 16));
    expect(Array.from(t.dataSync())).toEqual([1, 0.25]);
  });

  it("turns an integer tensor [H, W, C] into [C, H, W]", () => {
    const hwc = tensor([[[0, 255], [51, 102]]], { dtype: "int32" }); // H=1, W=2, C=2
    const t = new ToTensor()(hwc);
    expect(t.shape).toEqual([2, 1, 2]);
    expect(Array.from(t.dataSync())).toEqual(Array.from(Float32Array.from([0, 0.2, 1, 0.4])));
  });

  it("refuses what it cannot convert, naming what to do", () => {
    expect(() => new ToTensor()(tensor([[[0.5]]]))).toThrow(/ToTensor: expected an Image .* got a float32 tensor \[1,1,1\]; it is already a float tensor: leave ToTensor out/);
    expect(() => new ToTensor()(tensor([[300]], { dtype: "int32" }))).toThrow("ToTensor: pixel values must be 0–255 (uint8), got 300");
    expect(() => new ToTensor()("img")).toThrow(/got string/);
  });
});

describe("Normalize", () => {
  it("standardises each channel: (x - mean[c]) / std[c]", () => {
    const x = tensor([[[0.5, 1]], [[0, 0.25]]]); // [2, 1, 2]
    const y = new Normalize([0.5, 0.25], [0.5, 0.25])(x);
    expect(y.toArray()).toEqual([[[0, 1]], [[-1, 0]]]);
    expect(x.toArray()).toEqual([[[0.5, 1]], [[0, 0.25]]]);
    const inplace = new Normalize(0.5, 0.5, { inplace: true });
    expect(inplace(x)).toBe(x);
    expect(x.toArray()).toEqual([[[0, 1]], [[-1, -0.5]]]);
  });

  it("applies over a batch [B, C, H, W] too", () => {
    const y = new Normalize([1, 2], [1, 1])(tensor([[[[1]], [[2]]], [[[3]], [[4]]]], { dtype: "float32" }));
    expect(y.toArray()).toEqual([[[[0]], [[0]]], [[[2]], [[2]]]]);
  });

  it("checks its arguments and input", () => {
    expect(() => new Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])(tensor([[[0.1]]]))).toThrow("Normalize: mean has 3 values but the image has 1 channel");
    expect(() => new Normalize([0.5], [0])).toThrow("Normalize: std evaluated to zero, leading to division by zero (std=[0])");
    expect(() => new Normalize([0.5], [0.5], { inPlace: true } as never)).toThrow('Normalize: unknown option "inPlace"; accepted: inplace (did you mean "inplace"?)');
    expect(() => new Normalize([0.5], [0.5])(new data.Image(1, 1, Uint8Array.from([3])))).toThrow(
      "Normalize: expected a float tensor image [..., C, H, W], got an Image; put ToTensor() before Normalize in Compose",
    );
    expect(() => new Normalize([], [1])).toThrow(/Normalize: mean must be a finite number or a non-empty array/);
  });
});

describe("Compose and Lambda", () => {
  it("apply in order, and plain functions mix in", () => {
    const t = new Compose([new ToTensor(), new Normalize([0.5], [0.5]), new Lambda((x) => x.mul(2)), (x: ReturnType<typeof tensor>) => x.add(1)]);
    const y = t(new data.Image(2, 1, Uint8Array.from([0, 255])));
    expect(y.toArray()).toEqual([[[-1, 3]]]);
    expect(typeof t).toBe("function");
    expect(t).toBeInstanceOf(transforms.Transform);
  });

  it("print like torchvision", () => {
    const t = new Compose([new ToTensor(), new Normalize([0.1307], [0.3081]), new Lambda((y) => y)]);
    expect(String(t)).toBe("Compose(\n    ToTensor()\n    Normalize(mean=[0.1307], std=[0.3081])\n    Lambda()\n)");
    expect(`${new ToTensor()}`).toBe("ToTensor()");
  });

  it("user transforms subclass Transform and print as Name()", () => {
    class AddOne extends transforms.Transform {
      forward(x: ReturnType<typeof tensor>) {
        return x.add(1);
      }
    }
    const t = new Compose([new ToTensor(), new AddOne()]);
    expect(t(new data.Image(1, 1, Uint8Array.from([0]))).toArray()).toEqual([[[1]]]);
    expect(String(t)).toBe("Compose(\n    ToTensor()\n    AddOne()\n)");
  });

  it("refuse what is not callable", () => {
    expect(() => new Compose([new ToTensor(), 3 as never])).toThrow(/Compose: transform 1 is not callable \(got number\)/);
    expect(() => new Lambda("x" as never)).toThrow("Lambda: expected a function, got string");
  });
});
