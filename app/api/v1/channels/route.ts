import { requireUser } from '@/lib/auth/request';
import { json, readQuery, route } from '@/lib/http';
import { listChannels } from '@/lib/services/channels';
import { listChannelsQuery } from '@/lib/validation/conversations';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  return json(await listChannels(actor, readQuery(req, listChannelsQuery)));
});
