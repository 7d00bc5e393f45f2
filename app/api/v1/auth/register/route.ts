import { limitByAddress } from '@/lib/auth/request';
import { json, readJson, route } from '@/lib/http';
import { rules } from '@/lib/rate-limit';
import { registerUser, toMe } from '@/lib/services/users';
import { registerSchema } from '@/lib/validation/users';

export const dynamic = 'force-dynamic';

export const POST = route(async (req) => {
  await limitByAddress(req, rules.register);
  const input = await readJson(req, registerSchema);
  const user = await registerUser(input);
  return json({ user: toMe(user, false) }, 201);
});
