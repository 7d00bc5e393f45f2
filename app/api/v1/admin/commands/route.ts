import { requireUser } from '@/lib/auth/request';
import { json, readJson, route } from '@/lib/http';
import { requireAdmin } from '@/lib/services/admin';
import { adminCreateCommand, adminListCommands } from '@/lib/services/commands';
import { createCommandSchema } from '@/lib/validation/commands';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  return json({ commands: await adminListCommands(actor) });
});

export const POST = route(async (req) => {
  const actor = await requireUser(req);
  requireAdmin(actor);
  return json({ command: await adminCreateCommand(actor, await readJson(req, createCommandSchema)) }, 201);
});
