import { requireUser } from '@/lib/auth/request';
import { json, route } from '@/lib/http';
import { checkRate, rules } from '@/lib/rate-limit';
import { createEmoji, listEmoji, MAX_EMOJI_BYTES } from '@/lib/services/emoji';
import { receiveFile } from '@/lib/uploads/multipart';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  await requireUser(req);
  return json({ emoji: await listEmoji() });
});

/** multipart: `name` (a field before the file) and `file` (PNG, GIF or WebP, ≤ 256 KB). */
export const POST = route(async (req) => {
  const actor = await requireUser(req);
  await checkRate(rules.upload, `user:${actor.id}`);
  const file = await receiveFile(req, MAX_EMOJI_BYTES);
  return json({ emoji: await createEmoji(actor, file.fields.name, file) }, 201);
});
