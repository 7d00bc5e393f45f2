import { publicOrigin } from '@/lib/admin-http';
import { requireUser } from '@/lib/auth/request';
import { json, param, route } from '@/lib/http';
import { regenerateWebhook } from '@/lib/services/webhooks';

export const dynamic = 'force-dynamic';

/** A new secret: the old URL answers 404 from now on. */
export const POST = route(async (req, params) => {
  const actor = await requireUser(req);
  return json({ webhook: await regenerateWebhook(actor, param(params, 'id'), param(params, 'hookId'), publicOrigin(req)) });
});
