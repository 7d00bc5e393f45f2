import { requireUser } from '@/lib/auth/request';
import { param, route } from '@/lib/http';
import { readIcon } from '@/lib/services/integration-icons';
import { fileResponse } from '@/lib/uploads/serve';

export const dynamic = 'force-dynamic';

/** An integration's icon, fetched once by the server (through the outbound guard) and served from here (WebP). */
export const GET = route(async (req, params) => {
  await requireUser(req);
  const data = await readIcon(param(params, 'hash'));
  return fileResponse(data, { mimeType: 'image/webp', inline: true });
});
