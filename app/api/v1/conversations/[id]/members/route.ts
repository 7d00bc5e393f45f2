import { requireUser } from '@/lib/auth/request';
import { json, param, readJson, route } from '@/lib/http';
import { addMember } from '@/lib/services/conversations';
import { addMemberSchema } from '@/lib/validation/conversations';

export const dynamic = 'force-dynamic';

export const POST = route(async (req, params) => {
  const actor = await requireUser(req);
  const { userId } = await readJson(req, addMemberSchema);
  return json({ conversation: await addMember(actor, param(params, 'id'), userId) });
});
