import { requireUser } from '@/lib/auth/request';
import { noContent, param, route } from '@/lib/http';
import { blockUser, unblockUser } from '@/lib/services/blocks';

export const dynamic = 'force-dynamic';

export const PUT = route(async (req, params) => {
  const actor = await requireUser(req);
  await blockUser(actor, param(params, 'id'));
  return noContent();
});

export const DELETE = route(async (req, params) => {
  const actor = await requireUser(req);
  await unblockUser(actor, param(params, 'id'));
  return noContent();
});
