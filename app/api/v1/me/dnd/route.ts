import { requireUser } from '@/lib/auth/request';
import { json, readJson, route } from '@/lib/http';
import { getAttention, setDnd } from '@/lib/services/attention';
import { setDndSchema } from '@/lib/validation/attention';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  return json({ dnd: (await getAttention(actor)).dnd });
});

export const PUT = route(async (req) => {
  const actor = await requireUser(req);
  return json({ dnd: await setDnd(actor, await readJson(req, setDndSchema)) });
});
