// `npm test`: the setup step (scripts/test-setup.sh: installs what the suites use when run as
// root, says what), the typecheck, then vitest. Extra arguments go to vitest
// (`npm test -- tests/kernel`). Exits non-zero when the typecheck or any test fails.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: "inherit" }).status ?? 1;

const t0 = Date.now();
const setup = run("bash", ["scripts/test-setup.sh"]);
if (setup !== 0) process.exit(setup);
const t1 = Date.now();
// The project, then every cell of the course notebooks (notebooks/tsconfig.json: one program per notebook).
const tsc = join(root, "node_modules/typescript/bin/tsc");
const typecheck = run(process.execPath, [tsc, "--noEmit", "-p", "."]) || run(process.execPath, [tsc, "--noEmit", "-p", "notebooks"]);
console.log(typecheck === 0 ? "typecheck: clean" : "typecheck: FAILED (npm run typecheck shows the errors above)");
const t2 = Date.now();
const vitest = run(process.execPath, [join(root, "node_modules/vitest/vitest.mjs"), "run", ...process.argv.slice(2)]);
const s = (a, b) => `${((b - a) / 1000).toFixed(0)} s`;
console.log(`npm test: setup ${s(t0, t1)}, typecheck ${s(t1, t2)}${typecheck ? " (FAILED)" : ""}, vitest ${s(t2, Date.now())}`);
process.exit(vitest || typecheck);
