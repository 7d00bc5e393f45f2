import NextAuth from 'next-auth';
import { authOptions } from '@/lib/auth/options';
import { sessionTokenFromCookies } from '@/lib/auth/session';
import { deviceSetCookie } from '@/lib/auth/throttle';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ nextauth: string[] }> };

async function handler(req: Request, ctx: Ctx) {
  const params = await ctx.params;
  const signingIn = req.method === 'POST' && params.nextauth?.join('/') === 'callback/credentials';
  const username = signingIn ? String((await req.clone().formData().catch(() => null))?.get('username') ?? '') : '';
  const res: Response = await NextAuth(req as never, { params: Promise.resolve(params) } as never, authOptions());
  if (!signingIn || !username) return res;
  // A successful sign-in (a session cookie was set) remembers this browser as a known device of the account, so
  // the password throttle never locks its owner out because of someone else's failures (lib/auth/throttle.ts).
  const setCookies = res.headers.getSetCookie?.() ?? [];
  const session = sessionTokenFromCookies(setCookies.map((c) => c.split(';')[0]).join('; '));
  if (!session) return res;
  const headers = new Headers(res.headers);
  headers.append('set-cookie', deviceSetCookie(username));
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

export { handler as GET, handler as POST };
