/** Node image decoding: PNG (alpha dropped) and JPEG to RGB bytes. */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeImage } from './image-node.ts';
import { toRgb } from './letterbox.ts';

describe('decodeImage', () => {
  it('reads a PNG as RGBA and drops the alpha for the network', () => {
    const png = new PNG({ width: 2, height: 1 });
    png.data.set([10, 20, 30, 0, 40, 50, 60, 255]);
    const im = decodeImage(PNG.sync.write(png));
    expect([im.width, im.height, im.channels]).toEqual([2, 1, 4]);
    expect([...toRgb(im)]).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('reads a JPEG as RGB', () => {
    const data = Buffer.alloc(16 * 16 * 4, 0);
    for (let i = 0; i < 256; i++) data.set([200, 100, 50, 255], 4 * i);
    const im = decodeImage(jpeg.encode({ data, width: 16, height: 16 }, 95).data);
    expect([im.width, im.height, im.channels]).toEqual([16, 16, 3]);
    const [r, g, b] = im.data;
    expect(Math.abs(r - 200) + Math.abs(g - 100) + Math.abs(b - 50)).toBeLessThan(8);
  });

  it('rejects other formats by name', () => {
    expect(() => decodeImage(new Uint8Array([1, 2, 3, 4]), 'x.gif')).toThrow('x.gif is neither a PNG nor a JPEG file');
  });
});
