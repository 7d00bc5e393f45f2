import { requireUser } from '@/lib/auth/request';
import { param, route } from '@/lib/http';
import { readAttachment } from '@/lib/services/uploads';
import { fileResponse } from '@/lib/uploads/serve';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, params) => {
  const actor = await requireUser(req);
  const f = await readAttachment(actor, param(params, 'id'), 'thumbnail');
  return fileResponse(f, { mimeType: 'image/webp', inline: true });
});
