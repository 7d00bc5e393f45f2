import type { z } from 'zod';
import { initDb } from '../db';
import { AppError, toResponse } from './errors';
import { zodIssues } from './validation/zod';

export const MAX_JSON_BYTES = 64 * 1024;

type Params = Record<string, string | string[] | undefined>;
type Ctx = { params: Promise<Params> };

/** Wraps a route handler: database ready, errors in the contract's shape, never a raw 500. */
export function route<P extends Params = Params>(handler: (req: Request, params: P) => Promise<Response>) {
  return async (req: Request, ctx: Ctx): Promise<Response> => {
    try {
      await initDb();
      const params = ((await ctx?.params) ?? {}) as P;
      return await handler(req, params);
    } catch (e) {
      return toResponse(e);
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

/**
 * PostgreSQL text cannot hold U+0000: a NUL anywhere in the input would fail in the database (a 500). Refuse it at
 * the edge, with the path of the first offending string or key.
 */
function findNul(root: unknown): (string | number)[] | undefined {
  // Iterative, with paths kept as parent links: 20,000 nested arrays must neither overflow the stack nor copy paths.
  interface Node {
    value: unknown;
    key?: string | number;
    parent?: Node;
  }
  const pathOf = (n: Node | undefined, last?: string): (string | number)[] => {
    const out: (string | number)[] = last === undefined ? [] : [last];
    for (let at = n; at && at.key !== undefined; at = at.parent) out.unshift(at.key);
    return out;
  };
  const stack: Node[] = [{ value: root }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const { value } = node;
    if (typeof value === 'string') {
      if (value.includes('\0')) return pathOf(node);
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], key: i, parent: node });
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k.includes('\0')) return pathOf(node, k);
        stack.push({ value: v, key: k, parent: node });
      }
    }
  }
  return undefined;
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what = 'Request body'): z.infer<S> {
  const nul = findNul(value);
  if (nul) {
    throw new AppError('bad_request', `${what} is invalid`, {
      issues: [{ path: nul, message: 'Must not contain NUL characters', code: 'invalid_format' }],
    });
  }
  const result = schema.safeParse(value);
  if (!result.success) throw new AppError('bad_request', `${what} is invalid`, { issues: zodIssues(result.error) });
  return result.data;
}

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
