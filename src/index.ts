/**
 * gradnote runtime entry: everything a notebook imports from "gradnote".
 */
export const version = "0.1.0";
