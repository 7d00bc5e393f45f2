import { requireUser } from '@/lib/auth/request';
import { json, param, route } from '@/lib/http';
import { getUser } from '@/lib/services/users';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, params) => {
  const actor = await requireUser(req);
  return json({ user: await getUser(actor, param(params, 'id')) });
});
