import { lookup as dnsLookup } from 'node:dns/promises';
import net from 'node:net';

/**
 * The SSRF guard of webhook delivery (reliability plan WH-6). A company's webhook URL is
 * customer-supplied, so a live company must not be able to make Tijori POST to its own network:
 * loopback, private, link-local (cloud metadata at 169.254.169.254), CGNAT, multicast, reserved
 * and documentation ranges are refused, in IPv4, IPv6 and IPv4-embedded IPv6 forms. The host is
 * resolved once and the connection is pinned to the checked address (transport.ts passes a custom
 * `lookup`), so a DNS answer that changes between check and connect (rebinding) cannot bypass it.
 * Sandbox companies (the default) may target anything: local receivers are the point of a sandbox.
 */
const FORBIDDEN_V4: [string, number, string][] = [
  ['0.0.0.0', 8, 'this network'],
  ['10.0.0.0', 8, 'private (RFC 1918)'],
  ['100.64.0.0', 10, 'carrier-grade NAT (RFC 6598)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local / cloud metadata'],
  ['172.16.0.0', 12, 'private (RFC 1918)'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay anycast'],
  ['192.168.0.0', 16, 'private (RFC 1918)'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved / broadcast'],
];

const FORBIDDEN_V6: [string, number, string][] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['64:ff9b::', 96, 'NAT64'],
  ['64:ff9b:1::', 48, 'local NAT64'],
  ['100::', 64, 'discard'],
  ['2001::', 32, 'Teredo'],
  ['2001:db8::', 32, 'documentation'],
  ['2002::', 16, '6to4'],
  ['fc00::', 7, 'unique local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

const v4 = FORBIDDEN_V4.map(([net0, prefix, why]) => {
  const list = new net.BlockList();
  list.addSubnet(net0, prefix, 'ipv4');
  return { list, why };
});
const v6 = FORBIDDEN_V6.map(([net0, prefix, why]) => {
  const list = new net.BlockList();
  list.addSubnet(net0, prefix, 'ipv6');
  return { list, why };
});

/** The IPv4 address embedded in an IPv4-mapped (`::ffff:a.b.c.d`) or IPv4-compatible (`::a.b.c.d`) IPv6 address. */
function embeddedV4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^::(?:ffff:(?:0{1,4}:)?)?(\d{1,3}(?:\.\d{1,3}){3})$/.exec(lower);
  if (dotted) return dotted[1]!;
  const hex = /^::(?:ffff:(?:0{1,4}:)?)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const hi = parseInt(hex[1]!, 16);
    const lo = parseInt(hex[2]!, 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return null;
}

/** Why an IP address may not be a webhook target, or null when it may. */
export function forbiddenAddressReason(address: string): string | null {
  const family = net.isIP(address);
  if (family === 4) return v4.find((r) => r.list.check(address, 'ipv4'))?.why ?? null;
  if (family === 6) {
    const mapped = embeddedV4(address);
    if (mapped !== null) {
      const why = forbiddenAddressReason(mapped);
      return why === null ? null : `${why} (IPv4 in IPv6)`;
    }
    return v6.find((r) => r.list.check(address, 'ipv6'))?.why ?? null;
  }
  return 'not an IP address';
}

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

export interface ResolvedTarget {
  url: URL;
  /** The address the connection must use (checked, when the guard applies). */
  address: string;
  family: 4 | 6;
}

export class TargetForbidden extends Error {}

/**
 * Parses and resolves a webhook URL. The WHATWG URL parser already turns decimal, octal and hex
 * IPv4 forms (`http://2130706433/`, `http://0x7f.1/`) into dotted quads, so they are checked as
 * what they are. When `allowPrivate` is false, every address the name resolves to must be public
 * (one bad answer refuses the target: an attacker controls the order of the answers). Throws
 * TargetForbidden with a reason that is safe to show the company.
 */
export async function resolveTarget(rawUrl: string, allowPrivate: boolean, resolver: Resolver = systemResolver): Promise<ResolvedTarget> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new TargetForbidden('webhookUrl is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TargetForbidden('webhookUrl must use http or https');
  if (url.username || url.password) throw new TargetForbidden('webhookUrl must not contain credentials');
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  let answers: { address: string; family: number }[];
  if (net.isIP(host)) answers = [{ address: host, family: net.isIP(host) }];
  else {
    try {
      answers = await resolver(host);
    } catch {
      throw new TargetForbidden(`the host ${host} could not be resolved`);
    }
    if (answers.length === 0) throw new TargetForbidden(`the host ${host} could not be resolved`);
  }
  if (!allowPrivate) {
    for (const a of answers) {
      const why = forbiddenAddressReason(a.address);
      if (why !== null) throw new TargetForbidden(`webhookUrl resolves to a ${why} address, which only sandbox companies may target`);
    }
  }
  const first = answers[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
