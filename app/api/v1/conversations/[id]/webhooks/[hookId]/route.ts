import { requireUser } from '@/lib/auth/request';
import { json, noContent, param, readJson, route } from '@/lib/http';
import { deleteWebhook, updateWebhook } from '@/lib/services/webhooks';
import { updateWebhookSchema } from '@/lib/validation/webhooks';

export const dynamic = 'force-dynamic';

/** A new name or icon URL (owners and admins of the conversation); the hook's URL and bot stay. */
export const PATCH = route(async (req, params) => {
  const actor = await requireUser(req);
  const patch = await readJson(req, updateWebhookSchema);
  return json({ webhook: await updateWebhook(actor, param(params, 'id'), param(params, 'hookId'), patch) });
});

export const DELETE = route(async (req, params) => {
  const actor = await requireUser(req);
  await deleteWebhook(actor, param(params, 'id'), param(params, 'hookId'));
  return noContent();
});
