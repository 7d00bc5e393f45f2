import { requestMeta } from '@/lib/auth/meta';
import { requireUser } from '@/lib/auth/request';
import { noContent, readJson, route } from '@/lib/http';
import { changePassword } from '@/lib/services/password';
import { changePasswordSchema } from '@/lib/validation/security';

export const dynamic = 'force-dynamic';

export const PUT = route(async (req) => {
  const actor = await requireUser(req);
  const input = await readJson(req, changePasswordSchema);
  await changePassword(actor, input, requestMeta(req.headers));
  return noContent();
});
