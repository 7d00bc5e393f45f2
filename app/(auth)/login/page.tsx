import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { LoginForm } from '@/components/auth/LoginForm';
import { currentActor } from '@/lib/auth/current';
import { siteSettingsForRender } from '@/lib/services/settings';
import { safeNextPath } from '@/lib/auth/next-path';
import { isFirstRun } from '@/lib/services/users';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('login'))('title') };
}
export const dynamic = 'force-dynamic';

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  if (await currentActor()) redirect('/');
  const { next } = await searchParams;
  // A fresh server has nobody to sign in: its first screen creates the administrator.
  const mode = (await siteSettingsForRender()).registration;
  if (mode === 'open' && (await isFirstRun())) redirect('/register');
  const safeNext = safeNextPath(next);
  return <LoginForm next={safeNext} registrationOpen={mode === 'open'} />;
}
