import sharp from 'sharp';
import { expect } from 'vitest';

/**
 * An image Chattrix serves from its own copy (a link preview's, an integration's icon): 200 WebP of exactly
 * `width` × `height` to a signed-in reader, 401 to the signed-out.
 */
export async function expectServedWebp(baseUrl: string, path: string, token: string, [width, height]: [number, number]): Promise<void> {
  const img = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(img.status).toBe(200);
  expect(img.headers.get('content-type')).toBe('image/webp');
  const meta = await sharp(Buffer.from(await img.arrayBuffer())).metadata();
  expect([meta.format, meta.width, meta.height]).toEqual(['webp', width, height]);
  expect((await fetch(`${baseUrl}${path}`)).status).toBe(401);
}
