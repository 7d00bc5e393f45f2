import { requireUser } from '@/lib/auth/request';
import { noContent, param, route } from '@/lib/http';
import { deleteEmoji } from '@/lib/services/emoji';

export const dynamic = 'force-dynamic';

export const DELETE = route(async (req, params) => {
  const actor = await requireUser(req);
  await deleteEmoji(actor, param(params, 'name'));
  return noContent();
});
