import { requireUser } from '@/lib/auth/request';
import { json, readJson, readQuery, route } from '@/lib/http';
import { adminCreateUser, adminListUsers, requireAdmin } from '@/lib/services/admin';
import { adminCreateUserSchema, adminListUsersQuery } from '@/lib/validation/admin';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  requireAdmin(actor);
  return json({ users: await adminListUsers(actor, readQuery(req, adminListUsersQuery)) });
});

export const POST = route(async (req) => {
  const actor = await requireUser(req);
  requireAdmin(actor);
  return json({ user: await adminCreateUser(actor, await readJson(req, adminCreateUserSchema)) }, 201);
});
