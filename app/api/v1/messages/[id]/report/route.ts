import { requireUser } from '@/lib/auth/request';
import { json, param, readJson, route } from '@/lib/http';
import { reportMessage } from '@/lib/services/moderation';
import { reportMessageSchema } from '@/lib/validation/admin';

export const dynamic = 'force-dynamic';

export const POST = route(async (req, params) => {
  const actor = await requireUser(req);
  const { reason } = await readJson(req, reportMessageSchema);
  return json({ report: await reportMessage(actor, param(params, 'id'), reason) }, 201);
});
