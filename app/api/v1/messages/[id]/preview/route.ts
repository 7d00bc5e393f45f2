import { requireUser } from '@/lib/auth/request';
import { noContent, param, route } from '@/lib/http';
import { removePreview } from '@/lib/services/previews';

export const dynamic = 'force-dynamic';

/** Its author removes a message's link preview (for everyone: `message:updated` without it). */
export const DELETE = route(async (req, params) => {
  const actor = await requireUser(req);
  await removePreview(actor, param(params, 'id'));
  return noContent();
});
