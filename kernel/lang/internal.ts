/**
 * Member names of the runtime that are not its public API (src/RUNTIME-API.md): left out of
 * completion, from types and from runtime values alike, as are names starting with `_`.
 */
export const INTERNAL_MEMBERS: ReadonlySet<string> = new Set(["buf", "storage", "setGradFn", "hooks", "constructor"]);
