import { requireUser } from '@/lib/auth/request';
import { json, route } from '@/lib/http';
import { listDrafts } from '@/lib/services/drafts';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  return json({ drafts: await listDrafts(actor) });
});
