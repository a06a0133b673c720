/**
 * The language worker's handle on V8's collector. Imported before typescript is loaded: setting
 * a V8 flag changes the flag hash that V8 checks a code cache against (typescript-cached.ts), so
 * the kernel's flags (v8-flags.ts) are all set before the cache is read or written.
 */
import { runInNewContext } from "node:vm";
import { setKernelV8Flags } from "../v8-flags.js";

setKernelV8Flags();
export const gc = runInNewContext("gc") as () => void;
