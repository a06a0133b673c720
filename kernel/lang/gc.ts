/**
 * The language worker's handle on V8's collector. Imported before typescript is loaded: setting
 * a V8 flag changes the flag hash that V8 checks a code cache against (typescript-cached.ts), so
 * the flag must be set before the cache is read as well as before it is written.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");
export const gc = runInNewContext("gc") as () => void;
