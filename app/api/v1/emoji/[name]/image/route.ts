import { requireUser } from '@/lib/auth/request';
import { param, route } from '@/lib/http';
import { readEmojiImage } from '@/lib/services/emoji';
import { fileResponse } from '@/lib/uploads/serve';

export const dynamic = 'force-dynamic';

/** The emoji's image (`?v=` is its id: a name deleted and added again gets a new URL). */
export const GET = route(async (req, params) => {
  await requireUser(req);
  const { data, mimeType } = await readEmojiImage(param(params, 'name'));
  return fileResponse(data, { mimeType, inline: true, cache: 'private, max-age=3600' });
});
