import { requireUser } from '@/lib/auth/request';
import { json, param, readJson, readQuery, route } from '@/lib/http';
import { addMember, listConversationMembers } from '@/lib/services/conversations';
import { addMemberSchema, listMembersQuery } from '@/lib/validation/conversations';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, params) => {
  const actor = await requireUser(req);
  return json(await listConversationMembers(actor, param(params, 'id'), readQuery(req, listMembersQuery)));
});

export const POST = route(async (req, params) => {
  const actor = await requireUser(req);
  const { userId } = await readJson(req, addMemberSchema);
  return json({ conversation: await addMember(actor, param(params, 'id'), userId) });
});
