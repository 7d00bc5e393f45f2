import { createTranslator } from 'next-intl';
import en from '@/messages/en.json';

/**
 * A loose translator, for the few plain helpers (typingText, broadcastNotice, the push explanations) that build a
 * sentence outside a component: components pass `useTranslations(ns)`; tests and server code pass `english(ns)`.
 * Client code imports only the `Words` type from here: a value import would put the whole English catalog in the
 * browser's JavaScript.
 */
export type Words = (key: string, values?: Record<string, string | number>) => string;

export function english(namespace: string): Words {
  const t = createTranslator({ locale: 'en', messages: en });
  return (key, values) => (t as unknown as Words)(`${namespace}.${key}`, values);
}
