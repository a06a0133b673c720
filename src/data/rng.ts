/**
 * The random source of data shuffling and the teaching-set generators: the core's seedable
 * Generator. Without a seed (or generator) one is seeded from the global generator, so
 * `manualSeed()` makes every run identical.
 */
import { Generator, defaultGenerator } from "../random.js";

/** A generator seeded with `seed`, the given `generator`, or one seeded from the global generator. */
export function dataRng(seed?: number, generator?: Generator): Generator {
  if (generator) return generator;
  if (seed !== undefined) return new Generator(seed);
  return new Generator(defaultGenerator.nextUint32());
}
