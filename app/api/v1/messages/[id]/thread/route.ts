import { requireUser } from '@/lib/auth/request';
import { json, param, readQuery, route } from '@/lib/http';
import { getThread } from '@/lib/services/threads';
import { threadQuery } from '@/lib/validation/messages';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, params) => {
  const actor = await requireUser(req);
  return json(await getThread(actor, param(params, 'id'), readQuery(req, threadQuery)));
});
