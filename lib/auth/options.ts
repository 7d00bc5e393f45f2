import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { credentialsSchema } from '../validation/users';
import { getAuthSecret } from '../secrets';
import { verifyCredentials } from '../services/users';
import { AppError } from '../errors';
import { env } from '../env';
import { publicUrlIsHttps } from '../security/headers';
import { HOST_SESSION_COOKIE } from './session';
import { getUserByUsername } from '../../db/queries/users';
import { createSession, liveSession, signOutSession } from '../services/sessions';
import { recordSecurityEvent } from '../services/security-events';
import { hasTwoFactor, verifySecondFactor } from '../services/two-factor';
import { requestMeta } from './meta';
import { attemptFrom, forSignIn, throttledPasswordCheck } from './throttle';

/** The cookie's lifetime; the server-side session (lib/services/sessions.ts) decides whether it still works. */
export const SESSION_MAX_AGE = Math.ceil(env.SESSION_MAX_AGE_DAYS * 24 * 60 * 60);
const SESSION_ENDED = 'session_ended';

/**
 * Auth.js (next-auth v4): a Credentials provider and a JWT session in an HttpOnly, SameSite=Lax cookie. Each
 * sign-in creates a row in `sessions` whose id the JWT carries (`sid`); sign-out ends that row.
 * With two-factor sign-in on, a correct password without `otp` fails with the error `otp_required` (the login
 * form then asks for the code and sends all three again).
 */
export function authOptions(): NextAuthOptions {
  return {
    secret: getAuthSecret(),
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE },
    // NEXTAUTH_URL is optional here (the request's host is used); its warning is noise.
    logger: {
      warn: (code) => {
        if (code !== 'NEXTAUTH_URL') console.warn(`[next-auth] ${code}`);
      },
      error: (code, metadata) => {
        // An ended session read through /api/auth/session (see the jwt callback): expected, not an error.
        if (code === 'JWT_SESSION_ERROR' && (metadata as { message?: string } | undefined)?.message === SESSION_ENDED) return;
        console.error(`[next-auth] ${code}`, metadata);
      },
    },
    pages: { signIn: '/login' },
    // On an https public URL the session cookie is `__Host-` (Secure, Path=/, no Domain: no subdomain can set it).
    ...(publicUrlIsHttps(env.NEXTAUTH_URL) ? { useSecureCookies: true, cookies: { sessionToken: { name: HOST_SESSION_COOKIE, options: { httpOnly: true, sameSite: 'lax' as const, path: '/', secure: true } } } } : {}),
    providers: [
      CredentialsProvider({
        name: 'Chattrix',
        credentials: {
          username: { label: 'Username', type: 'text' },
          password: { label: 'Password', type: 'password' },
          otp: { label: 'Code', type: 'text' },
        },
        async authorize(raw, req) {
          const parsed = credentialsSchema.safeParse({ username: raw?.username, password: raw?.password });
          // A NUL can match no account (and PostgreSQL text cannot hold it): the same answer as a wrong password.
          if (!parsed.success || parsed.data.username.includes('\0')) return null;
          const otp = typeof raw?.otp === 'string' && raw.otp.trim() && raw.otp.length <= 32 ? raw.otp.trim() : undefined;
          const headers = (req?.headers ?? {}) as Record<string, string | undefined>;
          const meta = requestMeta(headers);
          let user: Awaited<ReturnType<typeof verifyCredentials>> | false;
          try {
            // The shared password throttle (lib/auth/throttle.ts): per account, per address, known devices exempt.
            user = await throttledPasswordCheck(attemptFrom(parsed.data.username, headers), () => verifyCredentials(parsed.data.username, parsed.data.password));
          } catch (e) {
            // next-auth turns a thrown error into `?error=<message>`; the login form shows it.
            if (e instanceof AppError && e.code === 'rate_limited') throw new Error('rate_limited');
            // next-auth puts a thrown message into the error URL: never let an internal one (SQL text) out.
            console.error('[chattrix] sign-in failed:', e);
            throw new Error('internal');
          }
          if (!user) {
            const known = await getUserByUsername({ username: parsed.data.username.trim() }).catch(() => undefined);
            if (known) await recordSecurityEvent({ userId: known.id, type: 'sign_in_failed', meta, detail: { reason: 'password' } });
            return null;
          }
          if (hasTwoFactor(user)) {
            if (!otp) throw new Error('otp_required');
            const ok = await forSignIn(() => verifySecondFactor(user, otp, meta));
            if (!ok) {
              await recordSecurityEvent({ userId: user.id, type: 'sign_in_failed', meta, detail: { reason: 'code' } });
              throw new Error('otp_invalid');
            }
          }
          const session = await createSession(user.id, meta);
          await recordSecurityEvent({ userId: user.id, type: 'sign_in', meta, detail: { sessionId: session.id, twoFactor: hasTwoFactor(user) } });
          return { id: user.id, name: user.displayName, email: user.email ?? undefined, sessionId: session.id };
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.sid = (user as { sessionId?: string }).sessionId;
          return token;
        }
        // Reading the session (GET /api/auth/session): an ended session answers {} and its cookie is cleared.
        const live = typeof token.sid === 'string' ? await liveSession(token.sid) : null;
        if (!live || live.userId !== token.sub) throw new Error(SESSION_ENDED);
        return token;
      },
      async session({ session, token }) {
        return { ...session, userId: token.sub } as typeof session;
      },
    },
    events: {
      // Sign-out ends the session on the server: the old cookie answers 401 at once, its sockets disconnect.
      async signOut({ token }) {
        const sid = (token as { sid?: unknown } | null)?.sid;
        if (typeof sid === 'string' && token?.sub) await signOutSession(sid, token.sub, { ip: null, userAgent: null });
      },
    },
  };
}
