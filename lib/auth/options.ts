import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { credentialsSchema } from '../validation/users';
import { getAuthSecret } from '../secrets';
import { verifyCredentials } from '../services/users';
import { limitLogin } from '../rate-limit';

export const SESSION_MAX_AGE = 30 * 24 * 60 * 60;

/** Auth.js (next-auth v4): a Credentials provider and a JWT session in an HttpOnly, SameSite=Lax cookie. */
export function authOptions(): NextAuthOptions {
  return {
    secret: getAuthSecret(),
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE },
    // NEXTAUTH_URL is optional here (the request's host is used); its warning is noise.
    logger: {
      warn: (code) => {
        if (code !== 'NEXTAUTH_URL') console.warn(`[next-auth] ${code}`);
      },
    },
    pages: { signIn: '/login' },
    providers: [
      CredentialsProvider({
        name: 'Chattrix',
        credentials: {
          username: { label: 'Username', type: 'text' },
          password: { label: 'Password', type: 'password' },
        },
        async authorize(raw, req) {
          const parsed = credentialsSchema.safeParse({ username: raw?.username, password: raw?.password });
          // A NUL can match no account (and PostgreSQL text cannot hold it): the same answer as a wrong password.
          if (!parsed.success || parsed.data.username.includes('\0')) return null;
          const headers = (req?.headers ?? {}) as Record<string, string | undefined>;
          await limitLogin(parsed.data.username, headers);
          let user: Awaited<ReturnType<typeof verifyCredentials>>;
          try {
            user = await verifyCredentials(parsed.data.username, parsed.data.password);
          } catch (e) {
            // next-auth puts a thrown message into the error URL: never let an internal one (SQL text) out.
            console.error('[chattrix] sign-in failed:', e);
            throw new Error('internal');
          }
          if (!user) return null;
          return { id: user.id, name: user.displayName, email: user.email ?? undefined };
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) token.sub = user.id;
        return token;
      },
      async session({ session, token }) {
        return { ...session, userId: token.sub } as typeof session;
      },
    },
  };
}
