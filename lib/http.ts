import type { z } from 'zod';
import { initDb } from '../db';
import { AppError, toResponse } from './errors';
import { localeOfHeaders, localizeBody } from './i18n/api-errors';
import { parseWith } from './validation/parse';

export const MAX_JSON_BYTES = 64 * 1024;

type Params = Record<string, string | string[] | undefined>;
type Ctx = { params: Promise<Params> };

/** Wraps a route handler: database ready, errors in the contract's shape (worded in the asker's language), never a raw 500. */
export function route<P extends Params = Params>(handler: (req: Request, params: P) => Promise<Response>) {
  return async (req: Request, ctx: Ctx): Promise<Response> => {
    try {
      await initDb();
      const params = ((await ctx?.params) ?? {}) as P;
      return await handler(req, params);
    } catch (e) {
      return toResponse(e, (body) => localizeBody(body, localeOfHeaders(req.headers)));
    }
  };
}

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(data), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

export function noContent(): Response {
  return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
}

export { parseWith } from './validation/parse';

/** Reads at most `maxBytes` of the body (413 beyond), parses JSON (400 when malformed), validates with zod. */
export async function readJson<S extends z.ZodType>(req: Request, schema: S, maxBytes = MAX_JSON_BYTES): Promise<z.infer<S>> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new AppError('payload_too_large', `Body larger than ${maxBytes} bytes`);
  const type = req.headers.get('content-type') ?? '';
  if (type && !/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError('unsupported_media_type', 'Send JSON with Content-Type: application/json');
  }
  let text = '';
  if (req.body) {
    const reader = req.body.getReader();
    const decoder = new TextDecoder();
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw new AppError('payload_too_large', `Body larger than ${maxBytes} bytes`);
      }
      text += decoder.decode(value, { stream: true });
    }
    text += decoder.decode();
  }
  let data: unknown;
  try {
    data = text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'Malformed JSON');
  }
  if (data === undefined) throw new AppError('bad_request', 'A JSON body is required');
  return parseWith(schema, data);
}

export function readQuery<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  const url = new URL(req.url);
  const obj: Record<string, string> = {};
  for (const [k, v] of url.searchParams) obj[k] = v;
  return parseWith(schema, obj, 'Query');
}

export function param(params: Params, name: string): string {
  const v = params[name];
  if (typeof v !== 'string' || v.length === 0 || v.length > 128 || v.includes('\0')) throw new AppError('not_found', 'Not found');
  return v;
}
