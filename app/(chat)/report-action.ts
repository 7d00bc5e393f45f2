'use server';

import { getLocale, getTranslations } from 'next-intl/server';
import { localizeMessage } from '@/lib/i18n/api-errors';
import type { Locale } from '@/lib/i18n/config';
import { z } from 'zod';
import { currentActor } from '@/lib/auth/current';
import { AppError } from '@/lib/errors';
import { reportMessage } from '@/lib/services/moderation';
import { idSchema } from '@/lib/validation/common';
import { reportMessageSchema } from '@/lib/validation/admin';
import type { FormState } from './settings/actions';

/** "Report" on a message (REST: POST /api/v1/messages/{id}/report): the same schema and service. */
export async function reportMessageAction(_prev: FormState, form: FormData): Promise<FormState> {
  const t = await getTranslations('actions');
  try {
    const actor = await currentActor();
    if (!actor) throw new AppError('unauthorized', t('signedOut'));
    const messageId = idSchema.parse(form.get('messageId'));
    const { reason } = reportMessageSchema.parse({ reason: form.get('reason') ?? '' });
    await reportMessage(actor, messageId, reason);
    return { ok: true, at: Date.now() };
  } catch (e) {
    if (e instanceof z.ZodError) return { ok: false, at: Date.now(), message: e.issues[0]?.message ?? t('checkReason'), fieldErrors: { reason: e.issues[0]?.message ?? '' } };
    if (e instanceof AppError) return { ok: false, at: Date.now(), message: localizeMessage(e.message, (await getLocale()) as Locale) };
    console.error('[chattrix] report failed:', e);
    return { ok: false, at: Date.now(), message: t('ourSide') };
  }
}
