import { requireUser } from '@/lib/auth/request';
import { json, route } from '@/lib/http';
import { listTokens } from '@/lib/services/users';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  return json({ tokens: await listTokens(actor) });
});
