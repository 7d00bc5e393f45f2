import { requireUser } from '@/lib/auth/request';
import { json, readQuery, route } from '@/lib/http';
import { listThreads } from '@/lib/services/threads';
import { listThreadsQuery } from '@/lib/validation/messages';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  return json(await listThreads(actor, readQuery(req, listThreadsQuery)));
});
