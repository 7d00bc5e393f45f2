import { requireUser } from '@/lib/auth/request';
import { json, param, readJson, route } from '@/lib/http';
import { getConversationOrPreview, patchConversation } from '@/lib/services/channels';
import { updateConversationSchema } from '@/lib/validation/conversations';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, params) => {
  const actor = await requireUser(req);
  return json({ conversation: await getConversationOrPreview(actor, param(params, 'id')) });
});

export const PATCH = route(async (req, params) => {
  const actor = await requireUser(req);
  const patch = await readJson(req, updateConversationSchema);
  return json({ conversation: await patchConversation(actor, param(params, 'id'), patch) });
});
