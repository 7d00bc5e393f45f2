import { requireUser } from '@/lib/auth/request';
import { json, readQuery, route } from '@/lib/http';
import { listUsers } from '@/lib/services/users';
import { listUsersQuery } from '@/lib/validation/users';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  const query = readQuery(req, listUsersQuery);
  return json({ users: await listUsers(actor, query) });
});
