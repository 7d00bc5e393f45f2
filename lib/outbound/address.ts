import ipaddr from 'ipaddr.js';

/**
 * Which addresses the server may connect to on a user's behalf: public unicast only. Refused: loopback, private
 * (RFC 1918), link-local (169.254/16, fe80::/10), unique-local (fc00::/7), multicast, broadcast, reserved and
 * documentation ranges, unspecified (0.0.0.0/8, ::), CGNAT (100.64/10), and any IPv6 form that carries an IPv4
 * address (IPv4-mapped ::ffff:0:0/96, IPv4-compatible ::/96, NAT64, 6to4, Teredo): a mapped address is judged as
 * the IPv4 address it carries, the translation ranges are refused outright.
 */
export type Refusal = { ok: false; range: string } | { ok: true };

export function judgeAddress(address: string): Refusal {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return { ok: false, range: 'invalid' };
  }
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    const parts = v6.parts;
    // ::/96 (IPv4-compatible, deprecated) and ::ffff:0:0/96 (IPv4-mapped): judge the IPv4 address inside.
    const first80Zero = parts.slice(0, 5).every((p) => p === 0);
    if (first80Zero && (parts[5] === 0xffff || parts[5] === 0) && !(parts[5] === 0 && parts[6] === 0)) {
      const v4 = ipaddr.IPv4.parse(`${parts[6]! >> 8}.${parts[6]! & 0xff}.${parts[7]! >> 8}.${parts[7]! & 0xff}`);
      const r = v4.range();
      return r === 'unicast' ? { ok: true } : { ok: false, range: `ipv4-in-ipv6 ${r}` };
    }
    const r = v6.range();
    return r === 'unicast' ? { ok: true } : { ok: false, range: r };
  }
  const r = (parsed as ipaddr.IPv4).range();
  return r === 'unicast' ? { ok: true } : { ok: false, range: r };
}

/** `OUTBOUND_ALLOW`: host names (exact, case-insensitive) and CIDR ranges (or single addresses) allowed anyway. */
export interface AllowList {
  hosts: Set<string>;
  ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][];
}

export function parseAllowList(text: string | undefined): AllowList {
  const list: AllowList = { hosts: new Set(), ranges: [] };
  for (const raw of (text ?? '').split(',')) {
    const item = raw.trim().toLowerCase();
    if (!item) continue;
    const bare = item.replace(/^\[|\]$/g, '');
    if (item.includes('/')) {
      list.ranges.push(ipaddr.parseCIDR(item));
    } else if (ipaddr.isValid(bare)) {
      const a = ipaddr.parse(bare);
      list.ranges.push([a, a.kind() === 'ipv4' ? 32 : 128]);
      list.hosts.add(bare);
    } else {
      list.hosts.add(item);
    }
  }
  return list;
}

/** Throws when an entry is neither a host name nor a valid address or CIDR (used by lib/env.ts). */
export function validateAllowList(text: string): string | null {
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (!item) continue;
    if (item.includes('/')) {
      try {
        ipaddr.parseCIDR(item);
      } catch {
        return `"${item}" is not a CIDR range`;
      }
    } else if (!ipaddr.isValid(item.replace(/^\[|\]$/g, '')) && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(item)) {
      return `"${item}" is neither a host name nor an address`;
    }
  }
  return null;
}

export function addressAllowed(list: AllowList, address: string): boolean {
  let a: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    a = ipaddr.process(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return false;
  }
  for (const [net, bits] of list.ranges) {
    let candidate = a;
    // An IPv4 range also covers the IPv4-mapped form and vice versa.
    if (net.kind() !== candidate.kind()) {
      if (net.kind() === 'ipv6' && candidate.kind() === 'ipv4') candidate = (candidate as ipaddr.IPv4).toIPv4MappedAddress();
      else continue;
    }
    if (candidate.match([net, bits] as never)) return true;
  }
  return false;
}
