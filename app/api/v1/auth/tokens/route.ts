import { limitByAddress } from '@/lib/auth/request';
import { json, readJson, route } from '@/lib/http';
import { rules } from '@/lib/rate-limit';
import { createAccessToken } from '@/lib/services/users';
import { createTokenSchema } from '@/lib/validation/users';

export const dynamic = 'force-dynamic';

export const POST = route(async (req) => {
  await limitByAddress(req, rules.login);
  const input = await readJson(req, createTokenSchema);
  return json(await createAccessToken(input), 201);
});
