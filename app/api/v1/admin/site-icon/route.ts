import { requireUser } from '@/lib/auth/request';
import { json, route } from '@/lib/http';
import { checkRate, rules } from '@/lib/rate-limit';
import { MAX_ICON_BYTES, removeSiteIcon, setSiteIcon } from '@/lib/services/site-icon';
import { requireAdmin } from '@/lib/services/admin';
import { receiveFile } from '@/lib/uploads/multipart';

export const dynamic = 'force-dynamic';

/** multipart `file`: a PNG, JPEG or WebP (≤ 2 MB), cut to a square; the site's icon from now on. */
export const POST = route(async (req) => {
  const actor = await requireUser(req);
  requireAdmin(actor);
  await checkRate(rules.upload, `user:${actor.id}`);
  const file = await receiveFile(req, MAX_ICON_BYTES);
  return json({ settings: await setSiteIcon(actor, file) });
});

/** Back to the Chattrix icons. */
export const DELETE = route(async (req) => json({ settings: await removeSiteIcon(await requireUser(req)) }));
