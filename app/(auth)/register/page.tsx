import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { RegisterForm } from '@/components/auth/RegisterForm';
import { currentActor } from '@/lib/auth/current';
import { siteSettingsForRender } from '@/lib/services/settings';
import { isFirstRun } from '@/lib/services/users';

export const metadata: Metadata = { title: 'Create an account' };
export const dynamic = 'force-dynamic';

export default async function RegisterPage({ searchParams }: { searchParams: Promise<{ invite?: string }> }) {
  if (await currentActor()) redirect('/');
  const { invite } = await searchParams;
  const invitation = typeof invite === 'string' && /^inv_[A-Za-z0-9_-]{10,100}$/.test(invite) ? invite : undefined;
  const mode = (await siteSettingsForRender()).registration;
  if (mode === 'invite' && !invitation) {
    return (
      <>
        <h1>Invitation needed</h1>
        <p className="lead">Accounts on this server are made with an invitation link: ask an administrator for one.</p>
        <a className="btn" href="/login">
          Sign in
        </a>
      </>
    );
  }
  if (mode === 'closed') {
    return (
      <>
        <h1>Registration is closed</h1>
        <p className="lead">Ask an administrator of this server for an account.</p>
        <a className="btn" href="/login">
          Sign in
        </a>
      </>
    );
  }
  return <RegisterForm invitation={invitation} firstRun={await isFirstRun()} />;
}
