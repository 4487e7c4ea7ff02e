/**
 * Made-up images the simulator serves so avatars load offline: small solid-colour PNGs whose
 * colour is derived from the file name (PNG spec, ISO/IEC 15948: signature, IHDR, IDAT, IEND).
 */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/**
 * A `size`×`size` RGB PNG: a disc of the colour derived from `seedText` on a light background.
 * @param seedText any text (the file name); the same text gives the same image.
 */
export function avatarPng(seedText: string, size = 48): Buffer {
  let h = 2166136261;
  for (const ch of seedText) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
  const r = 60 + ((h >>> 0) % 160);
  const g = 60 + ((h >>> 8) % 160);
  const b = 60 + ((h >>> 16) % 160);
  const raw = Buffer.alloc(size * (1 + size * 3));
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    const row = y * (1 + size * 3);
    raw[row] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const inside = (x - c) ** 2 + (y - c) ** 2 <= (size / 2) ** 2;
      const o = row + 1 + x * 3;
      raw[o] = inside ? r : 236;
      raw[o + 1] = inside ? g : 239;
      raw[o + 2] = inside ? b : 243;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
