/**
 * Installs every Tensor method onto the class once it is defined (called from index.ts, so
 * that tensor.ts imports no op).
 * Methods are spread over methods-*.ts by family so that no file grows into a god file.
 */
import type { Tensor } from "./tensor.js";
import { installMathMethods } from "./methods-math.js";
import { installShapeMethods } from "./methods-shape.js";
import { installExtraMethods } from "./methods-extra.js";
import { installCompareMethods } from "./methods-compare.js";
import { installPortMethods } from "./methods-port.js";

/** Adds the op methods to `cls.prototype`. */
export function installMethods(cls: { prototype: Tensor }): void {
  installMathMethods(cls.prototype);
  installShapeMethods(cls.prototype);
  installExtraMethods(cls.prototype);
  installCompareMethods(cls.prototype);
  installPortMethods(cls.prototype);
}
