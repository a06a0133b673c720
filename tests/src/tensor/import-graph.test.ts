// The Tensor class and the ops no longer import each other: tensor.ts loads no op, autograd,
// functional or nn module (the op methods are installed by src/tensor/index.ts), and every
// tensor made through the package has its methods.
import { describe, expect, it } from "vitest";
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { tensor } from "../../../src/index.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

describe("tensor.ts ↔ ops import cycle", () => {
  it("tensor.ts reaches no op, autograd, functional or nn module", async () => {
    const r = await build({
      entryPoints: [`${root}src/tensor/tensor.ts`], bundle: true, write: false, metafile: true,
      platform: "node", format: "esm", external: ["webgpu", "zeromq"], logLevel: "silent",
    });
    const inputs = Object.keys(r.metafile.inputs);
    expect(inputs.some((f) => f.endsWith("src/tensor/tensor.ts"))).toBe(true);
    expect(inputs.filter((f) => /src\/(ops|autograd|functional|nn|optim)\//.test(f))).toEqual([]);
  });

  it("tensors made through the package carry the op methods", () => {
    const t = tensor([[1, 2], [3, 4]]);
    expect(typeof t.add).toBe("function");
    expect(t.float().mul(2).sum().item()).toBe(20);
  });
});
