import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { RegisterForm } from '@/components/auth/RegisterForm';
import { currentActor } from '@/lib/auth/current';
import { env } from '@/lib/env';

export const metadata: Metadata = { title: 'Create an account' };
export const dynamic = 'force-dynamic';

export default async function RegisterPage() {
  if (await currentActor()) redirect('/');
  if (env.REGISTRATION === 'closed') {
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
  return <RegisterForm />;
}
