import { createTranslator } from 'next-intl';
import en from '@/messages/en.json';

/**
 * A loose translator, for the few plain helpers (typingText, broadcastNotice) that build a sentence outside a
 * component: components pass `useTranslations(ns)`; without one (tests, server code) they speak English.
 */
export type Words = (key: string, values?: Record<string, string | number>) => string;

export function english(namespace: string): Words {
  const t = createTranslator({ locale: 'en', messages: en });
  return (key, values) => (t as unknown as Words)(`${namespace}.${key}`, values);
}
