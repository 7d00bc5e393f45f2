import { json, param, route } from '@/lib/http';
import { readHookPayload } from '@/lib/integrations/hook-body';
import { authenticateHook, postThroughHook } from '@/lib/services/webhooks';

export const dynamic = 'force-dynamic';

/**
 * An incoming webhook: the secret in the URL is the authentication (a wrong one answers 404). JSON, or Slack's
 * form-encoded `payload=`; `Idempotency-Key` makes a retried post land once (201 first, 200 with the same message after).
 */
export const POST = route(async (req, params) => {
  const row = await authenticateHook(param(params, 'id'), param(params, 'secret'));
  const payload = await readHookPayload(req);
  const { message, duplicate } = await postThroughHook(row, payload, req.headers.get('idempotency-key'));
  return json({ ok: true, message }, duplicate ? 200 : 201);
});
