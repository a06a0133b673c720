/**
 * Static facts about the kernel: version and the language_info block of kernel_info_reply.
 */
import type { LanguageInfo } from "./messages.js";

export const KERNEL_VERSION = "0.1.0";

/** TypeScript syntax level esbuild accepts for cells. */
export const TYPESCRIPT_VERSION = "5.9";

export function languageInfo(): LanguageInfo {
  return {
    name: "typescript",
    version: TYPESCRIPT_VERSION,
    mimetype: "text/typescript",
    file_extension: ".ts",
    pygments_lexer: "typescript",
    codemirror_mode: { name: "javascript", typescript: true },
    nbconvert_exporter: "script",
  };
}
