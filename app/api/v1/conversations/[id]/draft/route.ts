import { requireUser } from '@/lib/auth/request';
import { json, noContent, param, readJson, readQuery, route } from '@/lib/http';
import { getDraft, saveDraft } from '@/lib/services/drafts';
import { draftQuerySchema, saveDraftSchema } from '@/lib/validation/compose';

export const dynamic = 'force-dynamic';

export const GET = route(async (req, params) => {
  const actor = await requireUser(req);
  const { threadId } = readQuery(req, draftQuerySchema);
  return json({ draft: await getDraft(actor, param(params, 'id'), threadId) });
});

export const PUT = route(async (req, params) => {
  const actor = await requireUser(req);
  const input = await readJson(req, saveDraftSchema);
  return json({ draft: await saveDraft(actor, param(params, 'id'), input) });
});

export const DELETE = route(async (req, params) => {
  const actor = await requireUser(req);
  const { threadId } = readQuery(req, draftQuerySchema);
  await saveDraft(actor, param(params, 'id'), { body: '', threadId });
  return noContent();
});
