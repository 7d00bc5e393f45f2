import { requireUser } from '@/lib/auth/request';
import { json, noContent, readJson, route } from '@/lib/http';
import { listSubscriptions, subscribe, unsubscribe } from '@/lib/services/push';
import { pushSubscriptionSchema, pushUnsubscribeSchema } from '@/lib/validation/users';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  return json({ subscriptions: await listSubscriptions(actor) });
});

export const POST = route(async (req) => {
  const actor = await requireUser(req);
  const sub = await readJson(req, pushSubscriptionSchema);
  return json(await subscribe(actor, sub), 201);
});

export const DELETE = route(async (req) => {
  const actor = await requireUser(req);
  const { endpoint } = await readJson(req, pushUnsubscribeSchema);
  await unsubscribe(actor, endpoint);
  return noContent();
});
