import { requireUser } from '@/lib/auth/request';
import { json, noContent, readJson, route } from '@/lib/http';
import { deleteAccount } from '@/lib/services/account';
import { getMe, updateMe } from '@/lib/services/users';
import { deleteMeSchema, updateMeSchema } from '@/lib/validation/users';

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

export const DELETE = route(async (req) => {
  const actor = await requireUser(req);
  const { password } = await readJson(req, deleteMeSchema);
  await deleteAccount(actor, password);
  return noContent();
});
