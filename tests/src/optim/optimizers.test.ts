// Optimizer update rules checked against PyTorch trajectories over 6 steps.
// REF was generated once by tests/src/optim/gen_reference.py (Debian python3-torch 1.13, float64).
import { describe, expect, it } from "vitest";
import { tensor, optim, nn } from "../../../src/index.js";
import type { Tensor } from "../../../src/index.js";

const A = [1, 2, 0.5, 3];
const C = [1, -1, 0.5, 0];

const REF: Record<string, number[][]> = {
  sgd: [[0.5475, -1.3325, 1.765, 0.06998], [0.589467669063, -1.218681425938, 1.5917825575, 0.048979145878], [0.626424430392, -1.138745807466, 1.45652915736, 0.034283052138], [0.65886571362, -1.081463455336, 1.346902831924, 0.02399733062], [0.687258817046, -1.039873966966, 1.255688089262, 0.016797855046], [0.712040749303, -1.009410071621, 1.178305496173, 0.011758403736]],
  sgd_momentum: [[0.5475, -1.3325, 1.765, 0.06998], [0.632217669062, -1.067931425938, 1.3802825575, 0.021961145878], [0.740187866621, -0.791874388186, 0.937428998614, -0.027844378428], [0.855231603648, -0.575117041568, 0.500513597428, -0.064315605016], [0.960737117873, -0.461207511514, 0.104756344612, -0.077839706613], [1.041882857913, -0.464485341318, -0.231685991849, -0.066650053421]],
  sgd_dampening_wd: [[0.545, -1.325, 1.755, 0.06948], [0.60867619925, -1.10229565625, 1.43325628575, 0.030225324223], [0.681722367763, -0.887201845682, 1.096961743319, -0.007631909702], [0.755617125986, -0.718036563564, 0.78471306038, -0.036288277897], [0.823155122831, -0.614483252035, 0.515437772155, -0.05146515612], [0.878875020303, -0.580213940773, 0.295756034408, -0.052616939474]],
  sgd_nesterov: [[0.589775, -1.180325, 1.5516, 0.042867], [0.69763448711, -0.91191087262, 1.117118061492, -0.005967606968], [0.805630154664, -0.736717906717, 0.728678397453, -0.034916741928], [0.898334162812, -0.661401244492, 0.39533051065, -0.042647575067], [0.96496359885, -0.670799020277, 0.120120407863, -0.034696743431], [1.000829731611, -0.736804012613, -0.095080203181, -0.019264734933]],
  adagrad: [[0.509999999999, -1.49, 1.99, 0.090000000002], [0.516983664393, -1.483000518866, 1.982972784891, 0.083310820566], [0.522641550998, -1.477321141555, 1.977256786739, 0.078046624775], [0.527511748018, -1.472426272181, 1.972320851165, 0.073623859473], [0.531845361089, -1.468065814616, 1.967916607746, 0.069773552531], [0.535783298939, -1.46409937862, 1.963904515854, 0.066345794526]],
  adagrad_opts: [[0.578633365093, -1.401980394121, 1.901025247504, 0.034655375449], [0.63068612539, -1.340211190774, 1.835764963346, 0.01279984719], [0.66922463755, -1.29376605278, 1.7849123013, 0.004833692817], [0.699185462778, -1.256292485357, 1.742512570703, 0.001856015923], [0.723097881826, -1.224879817085, 1.705825133422, 0.000723736992], [0.742486501283, -1.19790774015, 1.673323978443, 0.000286424505]],
  adadelta: [[0.503162260141, -1.496837723749, 1.996837723056, 0.096837766201], [0.506394822847, -1.493603056965, 1.99359930333, 0.093643281525], [0.509667182734, -1.490325622039, 1.990312871921, 0.090462415157], [0.512964065537, -1.487020166776, 1.986992351571, 0.087318450253], [0.516276283198, -1.483695510888, 1.983646031533, 0.084225123676], [0.519597696061, -1.480357511478, 1.98027939783, 0.081191165739]],
  adadelta_opts: [[0.511177074601, -1.488819898377, 1.988819781425, 0.088827278553], [0.522805780815, -1.477152251285, 1.977106656444, 0.07769495833], [0.534635331061, -1.465228556184, 1.965070742506, 0.06710301677], [0.546535535631, -1.453165526509, 1.95281596611, 0.057304996503], [0.558425628362, -1.441033404034, 1.940404022963, 0.04842528463], [0.570250245886, -1.428878826151, 1.927875481691, 0.040508765807]],
  rmsprop: [[0.599999989474, -1.400000002985, 1.900000002128, 1.6656e-08], [0.660252121952, -1.337090200951, 1.833682044878, -7.3e-11], [0.703445840824, -1.289565582691, 1.781529340725, 1e-12], [0.736406949486, -1.251010956768, 1.737618263641, -0.0], [0.762310651026, -1.218524304306, 1.699245980416, 0.0], [0.782981092818, -1.190503317612, 1.664917044215, -0.0]],
  rmsprop_centered_momentum: [[0.533333332099, -1.466666666984, 1.966666666893, 0.066666668487], [0.574321491341, -1.425328342062, 1.925003916497, 0.029895161256], [0.614742866906, -1.383879591796, 1.882687519917, 0.002094537596], [0.651968218671, -1.344673664664, 1.841954980939, -0.012493415072], [0.685337773743, -1.308124097126, 1.803152288406, -0.015636764348], [0.714833906258, -1.274019875831, 1.766011635879, -0.011961429275]],
  adam: [[0.599999998947, -1.400000000299, 1.900000000213, 1.666e-09], [0.698271778219, -1.301136075561, 1.800524695663, -0.067005823409], [0.792354314142, -1.204491836417, 1.701949831119, -0.074451472933], [0.878054302527, -1.111446727465, 1.604660990639, -0.049046271573], [0.949340133725, -1.023679122558, 1.509044642405, -0.010882062519], [1.000170880599, -0.943098485878, 1.415478810258, 0.025711658712]],
  adam_amsgrad_wd: [[0.599999998889, -1.400000000286, 1.900000000204, 1.638e-09], [0.697824898711, -1.30115747981, 1.800547505082, -0.06126243713], [0.79007566277, -1.204584467979, 1.702032736115, -0.062974659339], [0.867027733817, -1.111742875052, 1.604855651616, -0.031425763352], [0.921542270042, -1.026527422507, 1.509417759027, 0.008392519606], [0.950747739757, -0.952157615132, 1.416113734239, 0.035371269632]],
  adamw: [[0.599499998947, -1.398500000299, 1.898000000213, -9.9998334e-05], [0.697187972129, -1.298265202603, 1.796641440458, -0.067031288642], [0.790642327221, -1.200407878227, 1.696309563193, -0.074347736301], [0.875756262294, -1.106345500708, 1.597398713318, -0.04886051106], [0.946631018868, -1.017801989476, 1.500302888044, -0.01068942211], [0.997318805682, -0.936732700177, 1.405405969971, 0.025817604767]],
  adamw_amsgrad: [[0.537499999474, -1.412500000149, 1.900000000106, 0.047500000833], [0.573879755971, -1.327647130388, 1.802762347829, 8.6343223e-05], [0.609018010338, -1.245772080011, 1.708395026706, -0.035655805107], [0.642773314147, -1.167275780827, 1.617000973025, -0.053727250682], [0.674983201603, -1.09263075698, 1.528675096509, -0.055479497012], [0.705464661122, -1.022372967244, 1.443501610325, -0.046151281492]],
};

type Make = (p: Tensor) => { step(): unknown; zeroGrad(): void };
const CASES: Record<string, Make> = {
  sgd: (p) => new optim.SGD([p], { lr: 0.05 }),
  sgd_momentum: (p) => new optim.SGD([p], { lr: 0.05, momentum: 0.9 }),
  sgd_dampening_wd: (p) => new optim.SGD([p], { lr: 0.05, momentum: 0.8, dampening: 0.3, weightDecay: 0.1 }),
  sgd_nesterov: (p) => new optim.SGD([p], { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
  adagrad: (p) => new optim.Adagrad([p]),
  adagrad_opts: (p) => new optim.Adagrad([p], { lr: 0.1, lrDecay: 0.01, weightDecay: 0.1, initialAccumulatorValue: 0.5 }),
  adadelta: (p) => new optim.Adadelta([p]),
  adadelta_opts: (p) => new optim.Adadelta([p], { lr: 0.5, rho: 0.8, eps: 1e-4, weightDecay: 0.05 }),
  rmsprop: (p) => new optim.RMSprop([p]),
  rmsprop_centered_momentum: (p) => new optim.RMSprop([p], { lr: 0.01, alpha: 0.9, momentum: 0.5, centered: true, weightDecay: 0.1 }),
  adam: (p) => new optim.Adam([p], { lr: 0.1 }),
  adam_amsgrad_wd: (p) => new optim.Adam([p], { lr: 0.1, betas: [0.8, 0.9], weightDecay: 0.1, amsgrad: true }),
  adamw: (p) => new optim.AdamW([p], { lr: 0.1 }),
  adamw_amsgrad: (p) => new optim.AdamW([p], { lr: 0.05, weightDecay: 0.5, amsgrad: true }),
};

function setGrad(p: Tensor): void {
  const v = p.toArray() as number[];
  p.grad = tensor(v.map((x, i) => 2 * A[i] * (x - C[i]) + 0.4 * x ** 3), { dtype: p.dtype });
}

describe("optimizers follow PyTorch's update rules", () => {
  for (const [name, make] of Object.entries(CASES)) {
    it(`${name} matches PyTorch over 6 steps (float64)`, () => {
      const p = tensor([0.5, -1.5, 2.0, 0.1], { dtype: "float64", requiresGrad: true });
      const opt = make(p);
      for (const expected of REF[name]) {
        setGrad(p);
        opt.step();
        const got = p.toArray() as number[];
        got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 9));
      }
    });
    it(`${name} matches PyTorch in float32 to float32 precision`, () => {
      const p = tensor([0.5, -1.5, 2.0, 0.1], { requiresGrad: true });
      const opt = make(p);
      for (const expected of REF[name]) {
        setGrad(p);
        opt.step();
      }
      const last = REF[name][REF[name].length - 1];
      (p.toArray() as number[]).forEach((v, i) => expect(Math.abs(v - last[i])).toBeLessThan(1e-4 * (1 + Math.abs(last[i]))));
    });
  }
});

describe("optimizer mechanics", () => {
  it("uses PyTorch's defaults", () => {
    const p = tensor([1], { requiresGrad: true });
    expect(new optim.Adagrad([p]).defaults).toMatchObject({ lr: 0.01, lrDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 });
    expect(new optim.Adadelta([p]).defaults).toMatchObject({ lr: 1.0, rho: 0.9, eps: 1e-6, weightDecay: 0 });
    expect(new optim.RMSprop([p]).defaults).toMatchObject({ lr: 0.01, alpha: 0.99, eps: 1e-8, momentum: 0, centered: false });
    expect(new optim.Adam([p]).defaults).toMatchObject({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false });
    expect(new optim.AdamW([p]).defaults).toMatchObject({ lr: 1e-3, weightDecay: 1e-2 });
    expect(new optim.SGD([p]).defaults).toMatchObject({ lr: 1e-3, momentum: 0, dampening: 0, nesterov: false });
  });

  it("zeroGrad clears gradients to null (or zeros when asked)", () => {
    const p = tensor([1, 2], { requiresGrad: true });
    p.sum().backward();
    const opt = new optim.SGD([p], { lr: 0.1 });
    opt.zeroGrad(false);
    expect(p.grad!.toArray()).toEqual([0, 0]);
    opt.zeroGrad();
    expect(p.grad).toBeNull();
  });

  it("skips parameters without gradients and accumulates gradients until zeroGrad", () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3], { requiresGrad: true });
    const opt = new optim.SGD([a, b], { lr: 0.5 });
    a.mul(a).sum().backward();
    a.mul(a).sum().backward();
    opt.step();
    expect(a.toArray()).toEqual([1 - 0.5 * 4, 2 - 0.5 * 8]);
    expect(b.toArray()).toEqual([3]);
  });

  it("supports parameter groups with their own options", () => {
    const a = tensor([1], { requiresGrad: true });
    const b = tensor([1], { requiresGrad: true });
    const opt = new optim.SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
    a.grad = tensor([1]);
    b.grad = tensor([1]);
    opt.step();
    expect(a.item()).toBeCloseTo(0.9, 6);
    expect(b.item()).toBeCloseTo(0.5, 6);
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.1, 0.5]);
  });

  it("step(closure) evaluates the closure and returns its loss", () => {
    const p = tensor([2], { requiresGrad: true });
    const opt = new optim.SGD([p], { lr: 0.25 });
    const loss = opt.step(() => {
      opt.zeroGrad();
      const l = p.mul(p).sum();
      l.backward();
      return l;
    });
    expect(loss).toBe(4);
    expect(p.item()).toBe(1);
  });

  it("stateDict round-trips the moment buffers", () => {
    const p = tensor([0.5, -1.5], { dtype: "float64", requiresGrad: true });
    const opt = new optim.Adam([p], { lr: 0.1 });
    for (let i = 0; i < 3; i++) {
      p.grad = p.mul(2).detach();
      opt.step();
    }
    const q = tensor(p.toArray() as number[], { dtype: "float64", requiresGrad: true });
    const opt2 = new optim.Adam([q], { lr: 0.1 });
    opt2.loadStateDict(opt.stateDict());
    p.grad = p.mul(2).detach();
    q.grad = q.mul(2).detach();
    opt.step();
    opt2.step();
    expect(q.toArray()).toEqual(p.toArray());
  });

  it("works with a module's parameters", () => {
    const m = new nn.Linear(3, 2);
    const opt = new optim.Adam(m.parameters(), { lr: 0.01 });
    expect(opt.paramGroups[0].params.length).toBe(2);
  });

  it("rejects bad arguments with the optimizer's name", () => {
    const p = tensor([1], { requiresGrad: true });
    expect(() => new optim.SGD([p], { lr: -1 })).toThrow(/SGD: invalid learning rate -1/);
    expect(() => new optim.SGD([p], { lr: 0.1, nesterov: true })).toThrow(/SGD: Nesterov momentum requires a momentum and zero dampening/);
    expect(() => new optim.Adam([p], { betas: [1.0, 0.999] })).toThrow(/Adam: invalid beta parameter at index 0: 1/);
    expect(() => new optim.Adam([])).toThrow(/Adam: got an empty parameter list/);
    expect(() => new optim.SGD([p, p])).toThrow(/more than one parameter group/);
    expect(() => new optim.SGD([tensor([1], { dtype: "int32" })])).toThrow(/SGD: can only optimize floating-point tensors, got int32/);
  });
});
