import { limitByAddress } from '@/lib/auth/request';
import { noContent, readJson, route } from '@/lib/http';
import { rules } from '@/lib/rate-limit';
import { resetPasswordWithToken } from '@/lib/services/admin';
import { passwordResetSchema } from '@/lib/validation/admin';

export const dynamic = 'force-dynamic';

/** Sets a new password with a one-time reset link's token (once, within the hour). */
export const POST = route(async (req) => {
  await limitByAddress(req, rules.login);
  const { token, password } = await readJson(req, passwordResetSchema);
  await resetPasswordWithToken(token, password);
  return noContent();
});
