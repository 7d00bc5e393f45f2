import { requireUser } from '@/lib/auth/request';
import { json, noContent, param, readJson, route } from '@/lib/http';
import { deleteWebhook, getWebhook, updateWebhook } from '@/lib/services/outgoing-webhooks';
import { updateOutgoingWebhookSchema } from '@/lib/validation/webhooks';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, params) => {
  const actor = await requireUser(req);
  return json({ webhook: await getWebhook(actor, param(params, 'id')) });
});

export const PATCH = route(async (req, params) => {
  const actor = await requireUser(req);
  const patch = await readJson(req, updateOutgoingWebhookSchema);
  return json({ webhook: await updateWebhook(actor, param(params, 'id'), patch) });
});

export const DELETE = route(async (req, params) => {
  const actor = await requireUser(req);
  await deleteWebhook(actor, param(params, 'id'));
  return noContent();
});
