import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const dynamic = 'force-dynamic';

let bundle: Promise<Buffer> | undefined;

/** Scalar's standalone bundle, served from this app (no CDN), from the installed @scalar/api-reference. */
export async function GET(): Promise<Response> {
  bundle ??= readFile(path.join(process.cwd(), 'node_modules/@scalar/api-reference/dist/browser/standalone.js'));
  const body = await bundle;
  return new Response(new Uint8Array(body), {
    headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600' },
  });
}
