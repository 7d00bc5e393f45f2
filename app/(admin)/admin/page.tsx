import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { AdminConsole } from '@/components/admin/AdminConsole';
import { currentActor } from '@/lib/auth/current';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('admin'))('title') };
}
export const dynamic = 'force-dynamic';

/** Site admins only: everyone else gets a 404 (the console's existence is not a secret, its data is). */
export default async function AdminPage() {
  const actor = await currentActor();
  if (!actor) redirect('/login?next=/admin');
  if (!actor.isAdmin) notFound();
  return <AdminConsole meId={actor.id} />;
}
