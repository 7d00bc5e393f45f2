import ipaddr from 'ipaddr.js';

/**
 * TRUST_PROXY: how many reverse proxies stand in front of the server (`1`, `2`, …), or which they are (a comma list
 * of addresses and CIDR ranges: `10.0.0.0/8,192.168.1.5`). Unset, `0`, `false` or `off`: none (X-Forwarded-* ignored).
 * `true` / `on` mean one proxy, like `1`.
 */
export type TrustProxy = false | { hops: number } | { ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][]; text: string };

export function parseTrustProxy(raw: string | undefined): TrustProxy | { error: string } {
  const v = (raw ?? '').trim().toLowerCase();
  if (v === '' || v === '0' || v === 'false' || v === 'off') return false;
  if (v === 'true' || v === 'on') return { hops: 1 };
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return hops > 0 && hops <= 32 ? { hops } : { error: 'a number of proxies between 0 and 32' };
  }
  const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  for (const item of v.split(',').map((s) => s.trim()).filter(Boolean)) {
    try {
      if (item.includes('/')) ranges.push(ipaddr.parseCIDR(item));
      else {
        const a = ipaddr.process(item);
        ranges.push([a, a.kind() === 'ipv4' ? 32 : 128]);
      }
    } catch {
      return { error: `"${item}" is neither a number of proxies nor an address or CIDR range` };
    }
  }
  return ranges.length ? { ranges, text: v } : false;
}

function normalise(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const a = address.trim().replace(/^\[|\](:\d+)?$/g, '').replace(/%.*$/, '');
  try {
    return ipaddr.process(a); // IPv4-mapped IPv6 becomes IPv4
  } catch {
    return null;
  }
}

function trusted(list: [ipaddr.IPv4 | ipaddr.IPv6, number][], address: string): boolean {
  const a = normalise(address);
  if (!a) return false;
  return list.some(([net, bits]) => net.kind() === a.kind() && a.match([net, bits] as never));
}

/**
 * The client's address from the socket's address and X-Forwarded-For. Each proxy APPENDS the address it received
 * from, so the trustworthy part of the list is its right end; the leftmost entry is whatever the client wrote.
 * - hops N: the address N places from the right of [...X-Forwarded-For, socket address];
 * - a list: walking from the socket address leftwards, the first address that is not a trusted proxy.
 */
export function resolveClientAddress(socketAddress: string, forwardedFor: string | undefined, trust: TrustProxy): string {
  const show = (a: string) => {
    const n = normalise(a);
    return n ? n.toString() : a.trim().slice(0, 64) || 'unknown';
  };
  if (!trust) return show(socketAddress);
  const chain = [...(forwardedFor ?? '').split(',').map((s) => s.trim()).filter(Boolean), socketAddress];
  if ('hops' in trust) return show(chain[Math.max(0, chain.length - 1 - trust.hops)]!);
  for (let i = chain.length - 1; i >= 0; i--) {
    if (!trusted(trust.ranges, chain[i]!)) return show(chain[i]!);
  }
  return show(chain[0]!);
}
