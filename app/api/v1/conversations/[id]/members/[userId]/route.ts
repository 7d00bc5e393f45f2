import { requireUser } from '@/lib/auth/request';
import { json, noContent, param, readJson, route } from '@/lib/http';
import { removeMember, setMemberRole } from '@/lib/services/conversations';
import { updateMemberSchema } from '@/lib/validation/conversations';

export const dynamic = 'force-dynamic';

export const DELETE = route(async (req, params) => {
  const actor = await requireUser(req);
  await removeMember(actor, param(params, 'id'), param(params, 'userId'));
  return noContent();
});

export const PATCH = route(async (req, params) => {
  const actor = await requireUser(req);
  const { role } = await readJson(req, updateMemberSchema);
  return json({ conversation: await setMemberRole(actor, param(params, 'id'), param(params, 'userId'), role) });
});
