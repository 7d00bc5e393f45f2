import { requireUser } from '@/lib/auth/request';
import { json, param, readJson, route } from '@/lib/http';
import { createConversationWebhook, listConversationWebhooks } from '@/lib/services/outgoing-webhooks';
import { createConversationWebhookSchema } from '@/lib/validation/webhooks';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, params) => {
  const actor = await requireUser(req);
  return json({ webhooks: await listConversationWebhooks(actor, param(params, 'id')) });
});

export const POST = route(async (req, params) => {
  const actor = await requireUser(req);
  const input = await readJson(req, createConversationWebhookSchema);
  return json(await createConversationWebhook(actor, param(params, 'id'), input), 201);
});
