import { json, param, route } from '@/lib/http';
import { readJsonBody } from '@/lib/integrations/hook-body';
import { respondLater } from '@/lib/services/commands';

export const dynamic = 'force-dynamic';

/** A slash command's responseUrl: up to 5 delayed answers `{text, responseType}` within 30 minutes (then 404). */
export const POST = route(async (req, params) => {
  const token = param(params, 'token');
  const result = await respondLater(token, await readJsonBody(req));
  return json({ ok: true, ...result });
});
