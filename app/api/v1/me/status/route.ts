import { requireUser } from '@/lib/auth/request';
import { json, readJson, route } from '@/lib/http';
import { getAttention, setStatus } from '@/lib/services/attention';
import { setStatusSchema } from '@/lib/validation/attention';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  return json({ status: (await getAttention(actor)).status });
});

export const PUT = route(async (req) => {
  const actor = await requireUser(req);
  return json({ status: await setStatus(actor, await readJson(req, setStatusSchema)) });
});
