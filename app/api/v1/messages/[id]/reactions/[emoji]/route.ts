import { requireUser } from '@/lib/auth/request';
import { noContent, param, parseWith, route } from '@/lib/http';
import { addReaction, removeReaction } from '@/lib/services/reactions';
import { emojiSchema } from '@/lib/validation/messages';

export const dynamic = 'force-dynamic';

function emojiParam(params: Record<string, string | string[] | undefined>): string {
  let raw = param(params, 'emoji');
  try {
    raw = decodeURIComponent(raw);
  } catch {
    /* already decoded */
  }
  return parseWith(emojiSchema, raw, 'Emoji');
}

export const PUT = route(async (req, params) => {
  const actor = await requireUser(req);
  await addReaction(actor, param(params, 'id'), emojiParam(params));
  return noContent();
});

export const DELETE = route(async (req, params) => {
  const actor = await requireUser(req);
  await removeReaction(actor, param(params, 'id'), emojiParam(params));
  return noContent();
});
