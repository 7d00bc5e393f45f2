import { requireUser } from '@/lib/auth/request';
import { json, param, route } from '@/lib/http';
import { sendScheduledNow } from '@/lib/services/scheduled';

export const dynamic = 'force-dynamic';

export const POST = route(async (req, params) => {
  const actor = await requireUser(req);
  return json({ scheduled: await sendScheduledNow(actor, param(params, 'id')) });
});
