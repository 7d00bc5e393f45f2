import { requireUser } from '@/lib/auth/request';
import { noContent, param, route } from '@/lib/http';
import { revokeBotToken } from '@/lib/services/bots';

export const dynamic = 'force-dynamic';

export const DELETE = route(async (req, params) => {
  const actor = await requireUser(req);
  await revokeBotToken(actor, param(params, 'id'), param(params, 'tokenId'));
  return noContent();
});
