import { requireUser } from '@/lib/auth/request';
import { json, readJson, route } from '@/lib/http';
import { getMe, updateMe } from '@/lib/services/users';
import { updateMeSchema } from '@/lib/validation/users';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  return json({ user: await getMe(actor) });
});

export const PATCH = route(async (req) => {
  const actor = await requireUser(req);
  const patch = await readJson(req, updateMeSchema);
  return json({ user: await updateMe(actor, patch) });
});
