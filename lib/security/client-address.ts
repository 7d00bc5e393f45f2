import { env } from '../env';
import { resolveClientAddress } from './trust-proxy';

type HeaderBag = Record<string, string | string[] | undefined> | Headers;

/**
 * The client address of a request: the socket's (server.ts passes it on as x-chattrix-remote-address, overwriting
 * whatever a client sent), or, behind trusted proxies (TRUST_PROXY), the rightmost X-Forwarded-For address that is
 * not one of them (lib/security/trust-proxy.ts).
 */
export function clientAddressFrom(headers: HeaderBag): string {
  const get = (name: string): string | undefined => {
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const v = headers[name];
    return Array.isArray(v) ? v.join(',') : v;
  };
  return resolveClientAddress(get('x-chattrix-remote-address') ?? 'unknown', get('x-forwarded-for'), env.TRUST_PROXY);
}
