/**
 * Global gradient-recording switch: noGrad, enableGrad, isGradEnabled.
 * The tape itself lives on tensors (src/autograd/node.ts); this file only says whether to record.
 */

let enabled = true;

/** True when new ops record their backward functions. */
export function isGradEnabled(): boolean {
  return enabled;
}

/** Turns gradient recording on or off globally; returns the previous setting. */
export function setGradEnabled(on: boolean): boolean {
  const prev = enabled;
  enabled = on;
  return prev;
}

function withMode<T>(on: boolean, fn: () => T): T {
  const prev = setGradEnabled(on);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    setGradEnabled(prev);
    throw e;
  }
  if (result instanceof Promise) {
    // Async bodies keep the mode until they settle (one cell at a time, so no interleaving).
    return result.finally(() => setGradEnabled(prev)) as T;
  }
  setGradEnabled(prev);
  return result;
}

/**
 * Runs `fn` without recording gradients, like PyTorch's `torch.no_grad()`; results have
 * `requiresGrad === false`. Async functions keep the mode until their promise settles.
 */
export function noGrad<T>(fn: () => T): T {
  return withMode(false, fn);
}

/** Runs `fn` with gradient recording on, even inside `noGrad`. */
export function enableGrad<T>(fn: () => T): T {
  return withMode(true, fn);
}
