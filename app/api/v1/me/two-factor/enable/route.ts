import { requestMeta } from '@/lib/auth/meta';
import { requireUser } from '@/lib/auth/request';
import { json, readJson, route } from '@/lib/http';
import { enableTwoFactor } from '@/lib/services/two-factor';
import { twoFactorEnableSchema } from '@/lib/validation/security';

export const dynamic = 'force-dynamic';

export const POST = route(async (req) => {
  const actor = await requireUser(req);
  const { code } = await readJson(req, twoFactorEnableSchema);
  return json(await enableTwoFactor(actor, code, requestMeta(req.headers)));
});
