/**
 * norm: every p PyTorch's vector norm takes ("fro", 2, 1, ±inf, 0, 3, 0.5) over all elements
 * and over dims, with PyTorch 1.13's gradients — zero (not NaN) where the norm or x is zero,
 * inf-norm ties sharing evenly — and the errors for matrix norms and integer inputs.
 */
import { describe, expect, it } from "vitest";
import { tensor, norm, type Tensor } from "../../../src/index.js";
import { checkGrad, checkOp, expectClose } from "./check-op.js";

const a = () => tensor([[1, -2, 3], [-4, 5, -6]], { dtype: "float64", requiresGrad: true });
/** Backward with weights 1, 2, 3, … over the result, as the reference script does. */
function weightedGrad(t: Tensor, r: Tensor): Tensor {
  const w = tensor(Array.from({ length: r.numel() }, (_, i) => i + 1), { dtype: "float64" }).reshape(r.shape);
  r.mul(w).sum().backward();
  return t.grad!;
}

describe("norm", () => {
  it("defaults to the Frobenius / 2-norm of all elements", () => {
    const t = a();
    const r = t.norm();
    expectClose(r, 9.539392014169456);
    expect(r.gradFn?.name).toBe("NormBackward1");
    expectClose(weightedGrad(t, r), [[0.10482848367219183, -0.20965696734438366, 0.3144854510165755], [-0.4193139346887673, 0.5241424183609592, -0.628970902033151]]);
    expectClose(norm(a(), "fro"), 9.539392014169456);
  });
  it("p = 1, inf, -inf and 0", () => {
    let t = a();
    expectClose(weightedGrad(t, t.norm(1)), [[1, -1, 1], [-1, 1, -1]]);
    t = a();
    const inf = t.norm(Infinity);
    expectClose(inf, 6);
    expectClose(weightedGrad(t, inf), [[0, 0, 0], [0, 0, -1]]);
    t = a();
    const ninf = norm(t, { p: -Infinity });
    expectClose(ninf, 1);
    expectClose(weightedGrad(t, ninf), [[1, 0, 0], [0, 0, 0]]);
    expectClose(a().norm(0), 6);
  });
  it("p = 3 and 0.5 over a dim, p = 2 with keepdim", () => {
    let t = a();
    const r3 = t.norm(3, 1);
    expectClose(r3, [3.3019272488946263, 7.398636222991409]);
    expectClose(weightedGrad(t, r3), [[0.0917202013581841, -0.3668808054327364, 0.8254818122236569], [-0.5845836028042597, 0.9134118793816558, -1.3153131063095844]]);
    t = a();
    const r2 = t.norm({ p: 2, dim: 0, keepdim: true });
    expectClose(r2, [[4.123105625617661, 5.385164807134504, 6.708203932499369]]);
    expectClose(weightedGrad(t, r2), [[0.24253562503633297, -0.7427813527082074, 1.3416407864998738], [-0.9701425001453319, 1.8569533817705188, -2.6832815729997477]]);
    t = a();
    const rh = t.norm(0.5, 1);
    expectClose(rh, [17.191508225450303, 44.69668203123519]);
    expectClose(weightedGrad(t, rh), [[4.146264369941973, -2.9318516525781364, 2.3938468501173524], [-6.685557720282968, 5.979744612020496, -5.4587350202060065]]);
  });
  it("gives PyTorch's gradients at zeros and ties, never NaN", () => {
    const cases: [number, number[]][] = [
      [2, [0, 0.6882472016116852, -0.6882472016116852, 0.22941573387056174]],
      [1, [0, 1, -1, 1]],
      [Infinity, [0, 0.5, -0.5, 0]],
      [3, [0, 0.6223013117609552, -0.6223013117609552, 0.06914459019566169]],
      [0.5, [0, 2.577350269189626, -2.577350269189626, 4.464101615137754]],
    ];
    for (const [p, want] of cases) {
      const z = tensor([0, 3, -3, 1], { dtype: "float64", requiresGrad: true });
      z.norm(p).backward();
      expectClose(z.grad!, want);
      const zero = tensor([0, 0, 0], { dtype: "float64", requiresGrad: true });
      zero.norm(p).backward();
      expectClose(zero.grad!, [0, 0, 0]);
    }
  });
  it("runs on every backend and passes gradcheck", () => {
    checkOp((t) => t.norm(2, 1), [tensor([[3, 4], [6, 8]], { dtype: "float64" })], [5, 10]);
    checkGrad((t) => t.norm(3, [0, 1]), [[3, 4]]);
  });
  it("names what it cannot do", () => {
    expect(() => a().norm("nuc")).toThrow('norm: the nuclear norm (p "nuc") is not implemented');
    expect(() => tensor([1, 2], { dtype: "int32" }).norm()).toThrow('norm: expected a floating point tensor, got dtype int32 (shape [2]); use x.float().norm() or { dtype: "float32" }');
    expect(() => a().norm({ ord: 2 } as never)).toThrow('norm: unknown option "ord"; accepted: p, dim, keepdim, dtype');
    expect(() => a().norm("two" as never)).toThrow('norm: p must be a number, Infinity, -Infinity or "fro", got "two"');
    expectClose(tensor([3, 4], { dtype: "int32" }).norm({ dtype: "float32" }), 5);
  });
});
