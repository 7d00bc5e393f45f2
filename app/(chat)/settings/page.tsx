import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { getTranslations } from 'next-intl/server';
import { SettingsView } from '@/components/settings/SettingsView';
import { isLocale, LOCALE_COOKIE } from '@/lib/i18n/config';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('settings'))('title') };
}

export default async function SettingsPage() {
  const cookie = (await cookies()).get(LOCALE_COOKIE)?.value;
  return <SettingsView language={isLocale(cookie) ? cookie : 'browser'} />;
}
