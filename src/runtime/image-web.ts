/**
 * Browser and worker only: image bytes (PNG, JPEG, anything the browser decodes) to RGBA pixels with
 * createImageBitmap and an OffscreenCanvas, for runImage in the app's worker. Not exercised in Node tests.
 * Colour management is turned off so the pixels are the file's, as cv2.imread reads them.
 */
import { MessageError, msg } from '../core/messages/index.ts';
import type { RgbImage } from './letterbox.ts';

export async function decodeImageInBrowser(bytes: Uint8Array | Blob): Promise<RgbImage> {
  const blob = bytes instanceof Blob ? bytes : new Blob([bytes as BlobPart]);
  const bmp = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  try {
    const canvas = new OffscreenCanvas(bmp.width, bmp.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new MessageError(msg('image-no-2d-context'));
    ctx.drawImage(bmp, 0, 0);
    const im = ctx.getImageData(0, 0, bmp.width, bmp.height);
    return { width: im.width, height: im.height, data: im.data, channels: 4 };
  } finally {
    bmp.close();
  }
}
