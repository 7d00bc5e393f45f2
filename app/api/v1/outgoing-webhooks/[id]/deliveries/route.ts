import { requireUser } from '@/lib/auth/request';
import { json, param, route } from '@/lib/http';
import { listWebhookDeliveries } from '@/lib/services/outgoing-webhooks';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, params) => {
  const actor = await requireUser(req);
  return json({ deliveries: await listWebhookDeliveries(actor, param(params, 'id')) });
});
