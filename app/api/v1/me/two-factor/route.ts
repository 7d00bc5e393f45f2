import { requestMeta } from '@/lib/auth/meta';
import { requireUser } from '@/lib/auth/request';
import { json, noContent, readJson, route } from '@/lib/http';
import { disableTwoFactor, twoFactorStatus } from '@/lib/services/two-factor';
import { twoFactorDisableSchema } from '@/lib/validation/security';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  return json(await twoFactorStatus(actor));
});

export const DELETE = route(async (req) => {
  const actor = await requireUser(req);
  const input = await readJson(req, twoFactorDisableSchema);
  await disableTwoFactor(actor, input, requestMeta(req.headers));
  return noContent();
});
