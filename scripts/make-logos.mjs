// Draws the kernelspec logos (32 and 64 px PNG): a descending loss curve on a blue tile.
// Run once; the PNGs are committed under kernelspec/.
import { deflateSync } from "node:zlib";
import { writeFileSync } from "node:fs";

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (const b of buf) {
    c = (crc ^ b) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const u = x / size, v = y / size;
      const curve = 0.15 + 0.7 * Math.exp(-4 * u);           // loss curve, top-left to bottom-right
      const onCurve = Math.abs(v - (1 - curve)) < 2.2 / size && u > 0.1 && u < 0.9;
      const border = Math.min(x, y, size - 1 - x, size - 1 - y) < size / 10;
      const [r, g, b] = onCurve ? [255, 160, 40] : border ? [30, 60, 120] : [49, 120, 198];
      row.set([r, g, b, 255], 1 + x * 4);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4); ihdr[8] = 8; ihdr[9] = 6;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(Buffer.concat(rows))), chunk("IEND", Buffer.alloc(0))]);
}
for (const s of [32, 64]) writeFileSync(new URL(`../kernelspec/logo-${s}x${s}.png`, import.meta.url), png(s));
