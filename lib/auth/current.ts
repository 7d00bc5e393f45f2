import { cookies } from 'next/headers';
import { initDb } from '../../db';
import type { Actor } from './actor';
import { actorFromCookieHeader } from './session';

/** The signed-in user in a server component or server action (Next-only: never imported by server.ts). */
export async function currentActor(): Promise<Actor | null> {
  await initDb();
  const jar = await cookies();
  const header = jar
    .getAll()
    .map((c) => `${c.name}=${encodeURIComponent(c.value)}`)
    .join('; ');
  return actorFromCookieHeader(header);
}
