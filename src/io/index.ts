/**
 * Weight files: `save` / `load` in the safetensors format, plus the byte-level codec.
 */
export { save, load, loadMetadata, serialize, deserialize, type LoadOptions } from "./save-load.js";
export { encodeSafetensors, decodeSafetensors } from "./safetensors.js";
export type { RawTensor, SafetensorsDtype, DecodedSafetensors } from "./safetensors.js";
