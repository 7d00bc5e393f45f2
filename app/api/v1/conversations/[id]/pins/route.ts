import { requireUser } from '@/lib/auth/request';
import { json, param, route } from '@/lib/http';
import { listPins } from '@/lib/services/messages';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, params) => {
  const actor = await requireUser(req);
  return json({ messages: await listPins(actor, param(params, 'id')) });
});
