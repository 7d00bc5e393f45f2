import { requestMeta } from '@/lib/auth/meta';
import { requireUser } from '@/lib/auth/request';
import { json, readJson, route } from '@/lib/http';
import { beginTwoFactorSetup } from '@/lib/services/two-factor';
import { twoFactorSetupSchema } from '@/lib/validation/security';

export const dynamic = 'force-dynamic';

export const POST = route(async (req) => {
  const actor = await requireUser(req);
  const { password } = await readJson(req, twoFactorSetupSchema);
  return json(await beginTwoFactorSetup(actor, password, requestMeta(req.headers)));
});
