import { requireUser } from '@/lib/auth/request';
import { json, param, route } from '@/lib/http';
import { joinChannel } from '@/lib/services/channels';

export const dynamic = 'force-dynamic';

export const POST = route(async (req, params) => {
  const actor = await requireUser(req);
  return json({ conversation: await joinChannel(actor, param(params, 'id')) });
});
