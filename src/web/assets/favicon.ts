/**
 * /favicon.ico: Tijori's icon, a white "T" on the pages' blue in a rounded square, 32×32. Drawn
 * here as an ICO (one 32-bit BMP image) so that the package carries no binary file and every
 * browser, which asks for /favicon.ico on its own, gets an icon rather than a 404.
 */
const SIZE = 32;
const BLUE = [0xff, 0x5e, 0x1f, 0xff]; // BGRA of --brand, #1f5eff
const WHITE = [0xff, 0xff, 0xff, 0xff];
const CLEAR = [0, 0, 0, 0];

function pixel(x: number, y: number): number[] {
  // Rounded corners: radius 6.
  const r = 6;
  const cx = x < r ? r : x > SIZE - 1 - r ? SIZE - 1 - r : x;
  const cy = y < r ? r : y > SIZE - 1 - r ? SIZE - 1 - r : y;
  if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return CLEAR;
  const bar = y >= 7 && y <= 11 && x >= 7 && x <= 24;
  const stem = x >= 13 && x <= 18 && y >= 7 && y <= 25;
  return bar || stem ? WHITE : BLUE;
}

export function faviconIco(): Buffer {
  const header = Buffer.alloc(6 + 16 + 40);
  const pixels = Buffer.alloc(SIZE * SIZE * 4);
  const mask = Buffer.alloc((SIZE / 8) * SIZE); // all zero: the alpha channel decides
  // BMP rows go bottom-up.
  for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) Buffer.from(pixel(x, y)).copy(pixels, ((SIZE - 1 - y) * SIZE + x) * 4);
  const imageBytes = 40 + pixels.length + mask.length;
  header.writeUInt16LE(0, 0); // ICONDIR: reserved, type 1 (icon), one image
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(1, 4);
  header.writeUInt8(SIZE, 6); // ICONDIRENTRY: width, height, no palette, reserved, planes, bits
  header.writeUInt8(SIZE, 7);
  header.writeUInt16LE(1, 10);
  header.writeUInt16LE(32, 12);
  header.writeUInt32LE(imageBytes, 14);
  header.writeUInt32LE(22, 18);
  header.writeUInt32LE(40, 22); // BITMAPINFOHEADER; the height counts the image and its mask
  header.writeInt32LE(SIZE, 26);
  header.writeInt32LE(SIZE * 2, 30);
  header.writeUInt16LE(1, 34);
  header.writeUInt16LE(32, 36);
  header.writeUInt32LE(pixels.length + mask.length, 42);
  return Buffer.concat([header, pixels, mask]);
}
