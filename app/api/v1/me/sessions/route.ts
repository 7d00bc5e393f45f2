import { requestMeta } from '@/lib/auth/meta';
import { requireUser } from '@/lib/auth/request';
import { json, noContent, route } from '@/lib/http';
import { listSessions, revokeOtherSessions } from '@/lib/services/sessions';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  return json({ sessions: await listSessions(actor) });
});

/** Signs out every session but the one making the request. */
export const DELETE = route(async (req) => {
  const actor = await requireUser(req);
  await revokeOtherSessions(actor, requestMeta(req.headers));
  return noContent();
});
