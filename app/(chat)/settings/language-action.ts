'use server';

import { cookies } from 'next/headers';
import { z } from 'zod';
import { LOCALE_COOKIE, locales } from '@/lib/i18n/config';

const choiceSchema = z.enum(['browser', ...locales]);

/**
 * Settings → Language: the `locale` cookie (a year, this browser) that lib/i18n/request.ts reads before
 * Accept-Language; "browser" deletes it, so the browser's languages decide again. Not a secret and not per account:
 * the login page, before anyone is known, speaks the same language.
 */
export async function setLanguageAction(choice: string): Promise<{ ok: boolean }> {
  const parsed = choiceSchema.safeParse(choice);
  if (!parsed.success) return { ok: false };
  const jar = await cookies();
  if (parsed.data === 'browser') jar.delete(LOCALE_COOKIE);
  else jar.set(LOCALE_COOKIE, parsed.data, { path: '/', maxAge: 365 * 24 * 60 * 60, sameSite: 'lax' });
  return { ok: true };
}
