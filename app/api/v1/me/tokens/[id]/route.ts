import { requestMeta } from '@/lib/auth/meta';
import { requireUser } from '@/lib/auth/request';
import { noContent, param, route } from '@/lib/http';
import { revokeToken } from '@/lib/services/users';

export const dynamic = 'force-dynamic';

export const DELETE = route(async (req, params) => {
  const actor = await requireUser(req);
  await revokeToken(actor, param(params, 'id'), requestMeta(req.headers));
  return noContent();
});
