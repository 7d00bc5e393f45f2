import { requireUser } from '@/lib/auth/request';
import { param, route } from '@/lib/http';
import { readAvatar } from '@/lib/services/uploads';
import { fileResponse } from '@/lib/uploads/serve';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, params) => {
  await requireUser(req);
  const data = await readAvatar(param(params, 'id'));
  // The URL carries a version (?v=), so it can be cached for long.
  return fileResponse(data, { mimeType: 'image/webp', inline: true });
});
