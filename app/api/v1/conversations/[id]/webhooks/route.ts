import { publicOrigin } from '@/lib/admin-http';
import { requireUser } from '@/lib/auth/request';
import { json, param, readJson, route } from '@/lib/http';
import { checkRate, rules } from '@/lib/rate-limit';
import { createWebhook, listWebhooks } from '@/lib/services/webhooks';
import { createWebhookSchema } from '@/lib/validation/webhooks';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, params) => {
  const actor = await requireUser(req);
  return json({ webhooks: await listWebhooks(actor, param(params, 'id')) });
});

export const POST = route(async (req, params) => {
  const actor = await requireUser(req);
  await checkRate(rules.conversationChange, `user:${actor.id}`);
  const id = param(params, 'id');
  const input = await readJson(req, createWebhookSchema);
  return json({ webhook: await createWebhook(actor, id, input, publicOrigin(req)) }, 201);
});
