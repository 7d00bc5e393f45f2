import { requireUser } from '@/lib/auth/request';
import { json, readJson, route } from '@/lib/http';
import { createScheduled, listScheduled } from '@/lib/services/scheduled';
import { createScheduledSchema } from '@/lib/validation/compose';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  return json({ scheduled: await listScheduled(actor) });
});

export const POST = route(async (req) => {
  const actor = await requireUser(req);
  const input = await readJson(req, createScheduledSchema);
  return json({ scheduled: await createScheduled(actor, input) }, 201);
});
