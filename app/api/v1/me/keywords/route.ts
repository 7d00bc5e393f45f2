import { requireUser } from '@/lib/auth/request';
import { json, readJson, route } from '@/lib/http';
import { getAttention, setKeywords } from '@/lib/services/attention';
import { setKeywordsSchema } from '@/lib/validation/attention';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  return json({ keywords: (await getAttention(actor)).keywords });
});

export const PUT = route(async (req) => {
  const actor = await requireUser(req);
  const { keywords } = await readJson(req, setKeywordsSchema);
  return json({ keywords: await setKeywords(actor, keywords) });
});
