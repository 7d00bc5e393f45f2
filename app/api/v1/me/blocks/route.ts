import { requireUser } from '@/lib/auth/request';
import { json, route } from '@/lib/http';
import { listBlocks } from '@/lib/services/blocks';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  return json({ blocks: await listBlocks(actor) });
});
