import { requireUser } from '@/lib/auth/request';
import { json, readQuery, route } from '@/lib/http';
import { search } from '@/lib/services/search';
import { searchQuery } from '@/lib/validation/messages';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  const query = readQuery(req, searchQuery);
  return json({ results: await search(actor, query) });
});
