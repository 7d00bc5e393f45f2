import { requestMeta } from '@/lib/auth/meta';
import { requireUser } from '@/lib/auth/request';
import { noContent, param, route } from '@/lib/http';
import { revokeSession } from '@/lib/services/sessions';

export const dynamic = 'force-dynamic';

export const DELETE = route(async (req, params) => {
  const actor = await requireUser(req);
  await revokeSession(actor, param(params, 'id'), requestMeta(req.headers));
  return noContent();
});
