import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { RegisterForm } from '@/components/auth/RegisterForm';
import { currentActor } from '@/lib/auth/current';
import { siteSettingsForRender } from '@/lib/services/settings';
import { isFirstRun } from '@/lib/services/users';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('register'))('metaTitle') };
}
export const dynamic = 'force-dynamic';

export default async function RegisterPage({ searchParams }: { searchParams: Promise<{ invite?: string }> }) {
  if (await currentActor()) redirect('/');
  const { invite } = await searchParams;
  const invitation = typeof invite === 'string' && /^inv_[A-Za-z0-9_-]{10,100}$/.test(invite) ? invite : undefined;
  const mode = (await siteSettingsForRender()).registration;
  const t = await getTranslations('register');
  if (mode === 'invite' && !invitation) {
    return (
      <>
        <h1>{t('inviteTitle')}</h1>
        <p className="lead">{t('inviteLead')}</p>
        <a className="btn" href="/login">
          {t('signIn')}
        </a>
      </>
    );
  }
  if (mode === 'closed') {
    return (
      <>
        <h1>{t('closedTitle')}</h1>
        <p className="lead">{t('closedLead')}</p>
        <a className="btn" href="/login">
          {t('signIn')}
        </a>
      </>
    );
  }
  return <RegisterForm invitation={invitation} firstRun={await isFirstRun()} />;
}
