import { publicOrigin } from '@/lib/admin-http';
import { requireUser } from '@/lib/auth/request';
import { json, param, readJson, route } from '@/lib/http';
import { checkRate, rules } from '@/lib/rate-limit';
import { runCommand } from '@/lib/services/commands';
import { invokeCommandSchema } from '@/lib/validation/commands';

export const dynamic = 'force-dynamic';

/** Runs `/name arguments` in this conversation (or thread): 200 `{ephemeral?, message?}`. */
export const POST = route(async (req, params) => {
  const actor = await requireUser(req);
  await checkRate(rules.send, `user:${actor.id}`);
  const id = param(params, 'id');
  const input = await readJson(req, invokeCommandSchema);
  return json(await runCommand(actor, id, input, publicOrigin(req)));
});
