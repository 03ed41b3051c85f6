/** Node only: PNG and JPEG files to RGB bytes (pngjs, jpeg-js). The app decodes with OffscreenCanvas instead. */
import { MessageError, msg } from '../core/messages/index.ts';
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import type { RgbImage } from './letterbox.ts';

export function decodeImage(bytes: Uint8Array, name = 'image'): RgbImage {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length > 8 && b.readUInt32BE(0) === 0x89504e47) {
    // PNG: 8-bit RGBA after pngjs's conversion (16-bit samples scaled down as cv2.imread does)
    const png = PNG.sync.read(b);
    return {
      width: png.width,
      height: png.height,
      data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength),
      channels: 4,
    };
  }
  if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8) {
    const j = jpeg.decode(b, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 1024 });
    return { width: j.width, height: j.height, data: j.data, channels: 3 };
  }
  throw new MessageError(msg('image-not-png-jpeg', { name }));
}

export function readImage(path: string): RgbImage {
  return decodeImage(readFileSync(path), path);
}
