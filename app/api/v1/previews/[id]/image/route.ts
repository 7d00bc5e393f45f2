import { requireUser } from '@/lib/auth/request';
import { param, route } from '@/lib/http';
import { readPreviewImage } from '@/lib/services/previews';
import { fileResponse } from '@/lib/uploads/serve';

export const dynamic = 'force-dynamic';

/** A link preview's image, fetched once by the server and served from here (WebP). */
export const GET = route(async (req, params) => {
  await requireUser(req);
  const data = await readPreviewImage(param(params, 'id'));
  return fileResponse(data, { mimeType: 'image/webp', inline: true });
});
