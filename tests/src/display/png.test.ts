// PNG encoding: what encodePng writes decodes (with zlib's inflate) to the same pixels and size.
import { describe, expect, it } from "vitest";
import { encodePng, upscale } from "../../../src/display/png.js";
import { decodePng, pixel } from "./helpers.js";

describe("encodePng", () => {
  it("round-trips RGBA pixels through zlib", () => {
    const data = new Uint8Array(3 * 2 * 4);
    for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 256;
    const png = decodePng(encodePng({ width: 3, height: 2, data }));
    expect(png.width).toBe(3);
    expect(png.height).toBe(2);
    expect([...png.pixels]).toEqual([...data]);
    expect(png.chunks).toEqual(["IHDR", "IDAT", "IEND"]);
  });

  it("names the size mismatch when the pixel buffer is wrong", () => {
    expect(() => encodePng({ width: 2, height: 2, data: new Uint8Array(15) })).toThrow("encodePng: expected 16 bytes for 2x2 RGBA, got 15");
    expect(() => encodePng({ width: 0, height: 2, data: new Uint8Array(0) })).toThrow("width and height must be positive integers, got 0x2");
  });

  it("upscales by repeating pixels, never blending them", () => {
    const img = upscale({ width: 2, height: 1, data: new Uint8Array([255, 0, 0, 255, 0, 0, 255, 255]) }, 3);
    const png = decodePng(encodePng(img));
    expect([png.width, png.height]).toEqual([6, 3]);
    expect(pixel(png, 2, 2)).toEqual([255, 0, 0, 255]);
    expect(pixel(png, 3, 0)).toEqual([0, 0, 255, 255]);
    expect(() => upscale(img, 1.5)).toThrow("factor must be an integer >= 1, got 1.5");
  });
});
