import { requireUser } from '@/lib/auth/request';
import { json, param, route } from '@/lib/http';
import { redeliver } from '@/lib/services/outgoing-webhooks';

export const dynamic = 'force-dynamic';

export const POST = route(async (req, params) => {
  const actor = await requireUser(req);
  return json({ delivery: await redeliver(actor, param(params, 'id'), param(params, 'deliveryId')) }, 201);
});
