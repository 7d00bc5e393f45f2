import { requireUser } from '@/lib/auth/request';
import { noContent, param, readJson, route } from '@/lib/http';
import { markThreadRead } from '@/lib/services/threads';
import { readSchema } from '@/lib/validation/messages';

export const dynamic = 'force-dynamic';

export const POST = route(async (req, params) => {
  const actor = await requireUser(req);
  const { messageId } = await readJson(req, readSchema);
  await markThreadRead(actor, param(params, 'id'), messageId);
  return noContent();
});
