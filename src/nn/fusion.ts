/**
 * How Sequential asks two neighbouring layers whether they can run as one fused call (Linear
 * then ReLU/Tanh/Sigmoid): each layer answers for itself through a method, never by its class.
 * Whether the fused call is one kernel is then the backend's choice (Backend.addmmActivation).
 */
import type { Tensor } from "../tensor/tensor.js";
import type { LinearActivation } from "../backend/backend.js";
import { forwardOf, type Module } from "./module.js";

/** A layer that can apply an activation to its own output in one call (Linear). */
export interface AbsorbsActivation {
  /**
   * This layer's forward followed by `act`, or null when the layer cannot promise the same
   * values as running them one after the other (then Sequential runs them one by one).
   */
  fusedForward(x: unknown, act: LinearActivation): Tensor | null;
}

/** An activation module that names the fused activation its forward computes. */
export interface FusableActivation {
  /** The activation this module's forward computes, or null (an overridden forward). */
  readonly fusableActivation: LinearActivation | null;
}

/** Forward methods known to compute an activation, captured when their classes load. */
const KNOWN = new Map<unknown, LinearActivation>();

/**
 * Records that `forward` (a library class's own method, captured at load) computes `act`.
 * A subclass that overrides forward, an instance given another forward, and a prototype
 * patched later all run a different function, which is then not fused.
 */
export function computesActivation(forward: unknown, act: LinearActivation): void {
  KNOWN.set(forward, act);
}

/** The activation `m`'s forward is known to compute, or null. */
export function knownActivation(m: Module): LinearActivation | null {
  return KNOWN.get(forwardOf(m)) ?? null;
}

/** True while `m` runs `forward`, the method captured from its library class at load. */
export function runsOwnForward(m: Module, forward: unknown): boolean {
  return forwardOf(m) === forward;
}

function absorbs(m: Module): m is Module & AbsorbsActivation {
  return typeof (m as Partial<AbsorbsActivation>).fusedForward === "function";
}

function fusable(m: Module): LinearActivation | null {
  return (m as Partial<FusableActivation>).fusableActivation ?? null;
}

/**
 * `next.forward(m.forward(x))` as one fused call, or null when either layer declines. Layers
 * with forward hooks are never fused: a hook must see each layer's own output (summary,
 * showActivations).
 */
export function fusedPair(m: Module, next: Module | undefined, x: unknown): Tensor | null {
  if (!next || m.hasForwardHooks || next.hasForwardHooks || !absorbs(m)) return null;
  const act = fusable(next);
  return act ? m.fusedForward(x, act) : null;
}
