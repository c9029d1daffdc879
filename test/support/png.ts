import { inflateSync } from 'node:zlib';

/** A decoded 8-bit, non-interlaced PNG: its header and its pixels after undoing the row filters. */
export interface DecodedPng {
  width: number;
  height: number;
  colorType: number;
  /** Bytes per pixel (4 for RGBA). */
  channels: number;
  pixels: Buffer;
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** Reads the chunks, inflates the IDAT stream with node:zlib and reverses each row's filter (PNG spec, section 9). */
export function decodePng(data: Buffer): DecodedPng {
  if (!data.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG: the signature is wrong');
  let offset = 8;
  let header: { width: number; height: number; bitDepth: number; colorType: number; interlace: number } | undefined;
  const idat: Buffer[] = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), bitDepth: body[8] as number, colorType: body[9] as number, interlace: body[12] as number };
    if (type === 'IDAT') idat.push(body);
    offset += 12 + length;
  }
  if (!header || offset !== data.length) throw new Error('not a PNG: no IHDR, or the chunks do not end where the file does');
  const channels = CHANNELS[header.colorType];
  if (header.bitDepth !== 8 || header.interlace !== 0 || channels === undefined) throw new Error(`unsupported PNG: depth ${header.bitDepth}, colour type ${header.colorType}, interlace ${header.interlace}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = header.width * channels;
  const pixels = Buffer.alloc(stride * header.height);
  for (let y = 0; y < header.height; y++) {
    const filter = raw[y * (stride + 1)] as number;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? (pixels[y * stride + x - channels] as number) : 0;
      const up = y > 0 ? (pixels[(y - 1) * stride + x] as number) : 0;
      const upLeft = x >= channels && y > 0 ? (pixels[(y - 1) * stride + x - channels] as number) : 0;
      pixels[y * stride + x] = ((line[x] as number) + predictor(filter, left, up, upLeft)) & 0xff;
    }
  }
  return { width: header.width, height: header.height, colorType: header.colorType, channels, pixels };
}

function predictor(filter: number, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 0: return 0;
    case 1: return left;
    case 2: return up;
    case 3: return Math.floor((left + up) / 2);
    case 4: {
      const p = left + up - upLeft;
      const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
      return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
    }
    default: throw new Error(`unknown PNG filter ${filter}`);
  }
}

/** How many pixels are close to an RGB colour (each channel within `tolerance`). */
export function countColor(png: DecodedPng, hex: string, tolerance = 8): number {
  const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let count = 0;
  for (let i = 0; i < png.pixels.length; i += png.channels) {
    if (rgb.every((value, c) => Math.abs((png.pixels[i + c] as number) - (value as number)) <= tolerance)) count++;
  }
  return count;
}

/** How many pixels are not (near) white. */
export function inkedPixels(png: DecodedPng): number {
  let count = 0;
  for (let i = 0; i < png.pixels.length; i += png.channels) {
    if ((png.pixels[i] as number) < 240 || (png.pixels[i + 1] as number) < 240 || (png.pixels[i + 2] as number) < 240) count++;
  }
  return count;
}
