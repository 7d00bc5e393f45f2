import { requireUser } from '@/lib/auth/request';
import { noContent, param, route } from '@/lib/http';
import { deleteWebhook } from '@/lib/services/webhooks';

export const dynamic = 'force-dynamic';

export const DELETE = route(async (req, params) => {
  const actor = await requireUser(req);
  await deleteWebhook(actor, param(params, 'id'), param(params, 'hookId'));
  return noContent();
});
