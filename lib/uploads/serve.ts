import { Readable } from 'node:stream';

/** Streams stored bytes with the stored type; never sniffed, private to the caller. */
export function fileResponse(
  data: { stream: Readable; size: number },
  opts: { mimeType: string; filename?: string; inline: boolean; cache?: string },
): Response {
  const headers: Record<string, string> = {
    'content-type': opts.mimeType,
    'content-length': String(data.size),
    'x-content-type-options': 'nosniff',
    'cache-control': opts.cache ?? 'private, max-age=31536000, immutable',
    'content-security-policy': "default-src 'none'; sandbox",
  };
  if (opts.filename !== undefined) {
    const ascii = opts.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
    headers['content-disposition'] = `${opts.inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(opts.filename)}`;
  }
  return new Response(Readable.toWeb(data.stream) as unknown as ReadableStream, { status: 200, headers });
}
