import { clientAddress } from '../rate-limit';

/** Where a request came from, for sessions and security events. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

export function requestMeta(headers: HeaderSource): RequestMeta {
  const ua = headers instanceof Headers ? headers.get('user-agent') : headers['user-agent'];
  const userAgent = (Array.isArray(ua) ? ua[0] : ua)?.slice(0, 512) ?? null;
  const ip = clientAddress(headers);
  return { ip: ip && ip !== 'unknown' ? ip.slice(0, 64) : null, userAgent };
}
