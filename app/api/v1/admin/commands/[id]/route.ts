import { requireUser } from '@/lib/auth/request';
import { json, noContent, param, readJson, route } from '@/lib/http';
import { requireAdmin } from '@/lib/services/admin';
import { adminDeleteCommand, adminUpdateCommand } from '@/lib/services/commands';
import { updateCommandSchema } from '@/lib/validation/commands';

export const dynamic = 'force-dynamic';

export const PATCH = route(async (req, params) => {
  const actor = await requireUser(req);
  requireAdmin(actor);
  return json({ command: await adminUpdateCommand(actor, param(params, 'id'), await readJson(req, updateCommandSchema)) });
});

export const DELETE = route(async (req, params) => {
  const actor = await requireUser(req);
  await adminDeleteCommand(actor, param(params, 'id'));
  return noContent();
});
