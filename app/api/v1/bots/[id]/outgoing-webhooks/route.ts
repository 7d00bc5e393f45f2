import { requireUser } from '@/lib/auth/request';
import { json, param, readJson, route } from '@/lib/http';
import { createBotWebhook, listBotWebhooks } from '@/lib/services/outgoing-webhooks';
import { createBotWebhookSchema } from '@/lib/validation/webhooks';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, params) => {
  const actor = await requireUser(req);
  return json({ webhooks: await listBotWebhooks(actor, param(params, 'id')) });
});

export const POST = route(async (req, params) => {
  const actor = await requireUser(req);
  const input = await readJson(req, createBotWebhookSchema);
  return json(await createBotWebhook(actor, param(params, 'id'), input), 201);
});
