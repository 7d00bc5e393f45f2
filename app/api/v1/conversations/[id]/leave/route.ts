import { requireUser } from '@/lib/auth/request';
import { noContent, param, route } from '@/lib/http';
import { leaveChannel } from '@/lib/services/channels';

export const dynamic = 'force-dynamic';

export const POST = route(async (req, params) => {
  const actor = await requireUser(req);
  await leaveChannel(actor, param(params, 'id'));
  return noContent();
});
