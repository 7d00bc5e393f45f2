import { eraseUserData } from './idb';

/**
 * Signs this device out: it forgets the person (push for this device, cached conversations, the outbox), ends the
 * session and goes to the sign-in page. next-auth's client and the push helpers are loaded here, when they are
 * needed, not with every page.
 */
export async function signOutThisDevice(userId: string): Promise<void> {
  await import('./push').then(({ unsubscribePush }) => unsubscribePush()).catch(() => {});
  await eraseUserData(userId);
  const { signOut } = await import('next-auth/react');
  await signOut({ redirect: false });
  window.location.assign('/login');
}
