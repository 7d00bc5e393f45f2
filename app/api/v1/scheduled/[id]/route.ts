import { requireUser } from '@/lib/auth/request';
import { json, noContent, param, readJson, route } from '@/lib/http';
import { cancelScheduled, getScheduled, updateScheduled } from '@/lib/services/scheduled';
import { updateScheduledSchema } from '@/lib/validation/compose';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, params) => {
  const actor = await requireUser(req);
  return json({ scheduled: await getScheduled(actor, param(params, 'id')) });
});

export const PATCH = route(async (req, params) => {
  const actor = await requireUser(req);
  const input = await readJson(req, updateScheduledSchema);
  return json({ scheduled: await updateScheduled(actor, param(params, 'id'), input) });
});

export const DELETE = route(async (req, params) => {
  const actor = await requireUser(req);
  await cancelScheduled(actor, param(params, 'id'));
  return noContent();
});
