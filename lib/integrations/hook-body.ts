import { AppError } from '../errors';
import { MAX_JSON_BYTES, parseWith } from '../http';
import { incomingPayloadSchema, type IncomingPayload } from '../validation/webhooks';

/**
 * A JSON body sent by an integration (an incoming webhook, a command's delayed answer): JSON whatever the content
 * type says, or a form with a JSON `payload` field (as Slack clients also send). 64 KiB at most.
 */
export async function readJsonBody(req: Request): Promise<unknown> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > MAX_JSON_BYTES) throw new AppError('payload_too_large', `Body larger than ${MAX_JSON_BYTES} bytes`);
  const buf = await req.arrayBuffer().catch(() => {
    throw new AppError('bad_request', 'Could not read the body');
  });
  if (buf.byteLength > MAX_JSON_BYTES) throw new AppError('payload_too_large', `Body larger than ${MAX_JSON_BYTES} bytes`);
  let text = new TextDecoder().decode(buf);
  if (/^application\/x-www-form-urlencoded/i.test(req.headers.get('content-type') ?? '')) {
    text = new URLSearchParams(text).get('payload') ?? '';
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'Send JSON such as {"text": "Hello"}');
  }
}

export async function readHookPayload(req: Request): Promise<IncomingPayload> {
  return parseWith(incomingPayloadSchema, await readJsonBody(req));
}
