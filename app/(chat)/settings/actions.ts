'use server';

import { headers } from 'next/headers';
import { getLocale, getTranslations } from 'next-intl/server';
import { localizeMessage } from '@/lib/i18n/api-errors';
import type { Locale } from '@/lib/i18n/config';
import { z } from 'zod';
import { currentActor } from '@/lib/auth/current';
import { requestMeta } from '@/lib/auth/meta';
import { AppError } from '@/lib/errors';
import { checkRate, clientAddress, rules } from '@/lib/rate-limit';
import { createConversation } from '@/lib/services/conversations';
import { createAccessToken, updateMe } from '@/lib/services/users';
import type { ConversationDto } from '@/lib/validation/dto';
import { createConversationSchema } from '@/lib/validation/conversations';
import { createTokenSchema, updateMeSchema, type Me } from '@/lib/validation/users';

/**
 * The forms as server actions: each parses FormData with the same zod schema as its REST route and calls the same
 * service, so a form works before hydration (and on a slow phone) and REST stays for integrations. Errors come back
 * per field (`fieldErrors.displayName`), shown next to the field; nothing is written twice.
 */
export interface FormState<T = undefined> {
  ok: boolean;
  /** Bumped on every answer, so the form can tell a new answer from the last one. */
  at: number;
  message?: string;
  fieldErrors?: Record<string, string>;
  data?: T;
}

/** The words of the answers, in the language of the page that sent the form (the same cookie or Accept-Language). */
const words = () => getTranslations('actions');

async function fail<T>(e: unknown): Promise<FormState<T>> {
  const t = await words();
  if (e instanceof z.ZodError) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of e.issues) fieldErrors[String(issue.path[0] ?? 'form')] ??= issue.message;
    return { ok: false, at: Date.now(), message: t('checkFields'), fieldErrors };
  }
  if (e instanceof AppError) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of e.issues ?? []) fieldErrors[String(issue.path[0] ?? 'form')] ??= issue.message;
    return { ok: false, at: Date.now(), message: localizeMessage(e.message, (await getLocale()) as Locale), fieldErrors };
  }
  console.error('[chattrix] server action failed:', e);
  return { ok: false, at: Date.now(), message: t('ourSide') };
}

async function actor() {
  const a = await currentActor();
  if (!a) throw new AppError('unauthorized', (await words())('signedOut'));
  return a;
}

const text = (form: FormData, key: string) => {
  const v = form.get(key);
  return typeof v === 'string' ? v : undefined;
};

/** Settings → Profile (REST: PATCH /api/v1/me). */
export async function updateProfileAction(_prev: FormState<Me>, form: FormData): Promise<FormState<Me>> {
  try {
    const a = await actor();
    const input = updateMeSchema.parse({ displayName: text(form, 'displayName'), bio: text(form, 'bio') ?? '' });
    const user = await updateMe(a, input);
    return { ok: true, at: Date.now(), message: (await words())('profileSaved'), data: user };
  } catch (e) {
    return fail(e);
  }
}

/** Settings → Personal access tokens (REST: POST /api/v1/auth/tokens); the token is shown once. */
export async function createTokenAction(
  _prev: FormState<{ token: string; id: string; name: string }>,
  form: FormData,
): Promise<FormState<{ token: string; id: string; name: string }>> {
  let signedIn = false;
  try {
    const a = await actor();
    signedIn = true;
    // The same limit as the REST route (password guesses), keyed on the client address.
    await checkRate(rules.login, `ip:${clientAddress(await headers())}`);
    const expiryDays = Number(text(form, 'expiryDays') ?? 0);
    const otp = text(form, 'otp')?.trim();
    const input = createTokenSchema.parse({
      username: a.username,
      password: text(form, 'password') ?? '',
      name: text(form, 'name') ?? '',
      scopes: text(form, 'scope') === 'read' ? ['read'] : ['read', 'write'],
      ...(expiryDays > 0 ? { expiresAt: new Date(Date.now() + expiryDays * 86_400_000).toISOString() } : {}),
      ...(otp ? { otp } : {}),
    });
    const created = await createAccessToken(input, requestMeta(await headers()));
    return { ok: true, at: Date.now(), message: (await words())('tokenCreated'), data: { token: created.token, id: created.id, name: created.name } };
  } catch (e) {
    const state = await fail<{ token: string; id: string; name: string }>(e);
    if (signedIn && e instanceof AppError && e.code === 'unauthorized') state.fieldErrors = { password: (await words())('wrongPassword') };
    return state;
  }
}

/** New group (REST: POST /api/v1/conversations {kind:"group"}). */
export async function createGroupAction(_prev: FormState<ConversationDto>, form: FormData): Promise<FormState<ConversationDto>> {
  try {
    const a = await actor();
    const input = createConversationSchema.parse({
      kind: 'group',
      title: text(form, 'title') ?? '',
      memberIds: form.getAll('memberIds').filter((v): v is string => typeof v === 'string'),
    });
    if (input.kind === 'channel') throw new AppError('bad_request', 'Not a group');
    const { conversation } = await createConversation(a, input);
    return { ok: true, at: Date.now(), message: (await words())('groupCreated'), data: conversation };
  } catch (e) {
    return fail(e);
  }
}
