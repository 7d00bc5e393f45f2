import { requireUser } from '@/lib/auth/request';
import { json, param, readJson, route } from '@/lib/http';
import { adminUpdateUser, requireAdmin } from '@/lib/services/admin';
import { adminUpdateUserSchema } from '@/lib/validation/admin';

export const dynamic = 'force-dynamic';

export const PATCH = route(async (req, params) => {
  const actor = await requireUser(req);
  requireAdmin(actor);
  return json({ user: await adminUpdateUser(actor, param(params, 'id'), await readJson(req, adminUpdateUserSchema)) });
});
