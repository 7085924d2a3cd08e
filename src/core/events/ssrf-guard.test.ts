import { describe, expect, it } from 'vitest';
import { forbiddenAddressReason, resolveTarget, TargetForbidden, type Resolver } from './ssrf-guard.js';

/** A resolver that answers from a table and never touches the network. */
const table =
  (answers: Record<string, string[]>): Resolver =>
  async (host) => {
    const found = answers[host];
    if (!found) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

const FORBIDDEN_URLS = [
  // IPv4 loopback, private, link-local, CGNAT, this-network, multicast, reserved, documentation
  'http://127.0.0.1/',
  'http://127.1.2.3:8080/x',
  'https://10.0.0.1/',
  'http://10.255.255.255/',
  'http://172.16.0.1/',
  'http://172.31.255.254/',
  'http://192.168.0.1/',
  'http://192.168.255.255/',
  'http://169.254.169.254/latest/meta-data/',
  'http://169.254.0.1/',
  'http://100.64.0.1/',
  'http://100.127.255.255/',
  'http://0.0.0.0/',
  'http://0.1.2.3/',
  'http://224.0.0.1/',
  'http://239.255.255.250/',
  'http://240.0.0.1/',
  'http://255.255.255.255/',
  'http://192.0.2.10/',
  'http://198.51.100.7/',
  'http://203.0.113.9/',
  'http://198.18.0.1/',
  'http://192.0.0.8/',
  // the same in decimal, hex, octal and short forms (the URL parser canonicalises them)
  'http://2130706433/',
  'http://0x7f000001/',
  'http://0x7f.0.0.1/',
  'http://0177.0.0.1/',
  'http://127.1/',
  'http://017700000001/',
  'http://3232235521/',
  'http://0xa9fea9fe/',
  'http://0/',
  'http://167772161/',
  // IPv6 loopback, unspecified, ULA, link-local, multicast, site-local, documentation, NAT64, 6to4, Teredo
  'http://[::1]/',
  'http://[0:0:0:0:0:0:0:1]/',
  'http://[::]/',
  'http://[fc00::1]/',
  'http://[fd12:3456:789a::1]/',
  'http://[fe80::1]/',
  'http://[febf::1]/',
  'http://[ff02::1]/',
  'http://[fec0::1]/',
  'http://[2001:db8::1]/',
  'http://[64:ff9b::7f00:1]/',
  'http://[2002:7f00:1::]/',
  'http://[2001:0:4136:e378::1]/',
  // IPv4-mapped and IPv4-compatible IPv6
  'http://[::ffff:127.0.0.1]/',
  'http://[::ffff:7f00:1]/',
  'http://[::ffff:10.0.0.1]/',
  'http://[::ffff:169.254.169.254]/',
  'http://[::ffff:192.168.1.1]/',
  'http://[::127.0.0.1]/',
  'http://[0:0:0:0:0:ffff:a9fe:a9fe]/',
  // names that resolve to forbidden addresses, and a name with one bad answer among good ones
  'http://localhost/',
  'http://metadata.internal/',
  'http://rebind.example/',
  'http://mixed.example/',
  'http://v6local.example/',
];

const resolver = table({
  localhost: ['127.0.0.1', '::1'],
  'metadata.internal': ['169.254.169.254'],
  'rebind.example': ['10.1.2.3'],
  'mixed.example': ['93.184.215.14', '192.168.1.20'],
  'v6local.example': ['fd00::5'],
  'public.example': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
});

describe('SSRF guard (WH-6)', () => {
  it(`refuses all ${FORBIDDEN_URLS.length} forbidden targets for a live company, without sending anything`, async () => {
    expect(FORBIDDEN_URLS.length).toBeGreaterThanOrEqual(50);
    for (const url of FORBIDDEN_URLS) {
      await expect(resolveTarget(url, false, resolver), url).rejects.toBeInstanceOf(TargetForbidden);
    }
  });

  it('allows public targets and pins the connection to the checked address', async () => {
    const target = await resolveTarget('https://public.example/hooks?x=1', false, resolver);
    expect(target).toMatchObject({ address: '93.184.215.14', family: 4 });
    expect(target.url.pathname).toBe('/hooks');
    await expect(resolveTarget('http://8.8.8.8/', false, resolver)).resolves.toMatchObject({ address: '8.8.8.8' });
    await expect(resolveTarget('http://[2606:4700:4700::1111]/', false, resolver)).resolves.toMatchObject({ family: 6 });
  });

  it('lets a sandbox company target loopback and private addresses', async () => {
    for (const url of ['http://127.0.0.1:3000/', 'http://localhost/', 'http://[::1]/', 'http://10.0.0.1/']) {
      await expect(resolveTarget(url, true, resolver), url).resolves.toBeDefined();
    }
  });

  it('refuses non-http schemes, credentials in the URL and names that do not resolve, even in sandbox mode', async () => {
    for (const url of [
      'file:///etc/passwd',
      'gopher://x/',
      'ftp://public.example/',
      'http://user:pw@public.example/',
      'http://nowhere.example/',
      'not a url',
    ]) {
      await expect(resolveTarget(url, true, resolver), url).rejects.toBeInstanceOf(TargetForbidden);
    }
  });

  it('classifies addresses, including IPv4 embedded in IPv6', () => {
    expect(forbiddenAddressReason('127.0.0.1')).toBe('loopback');
    expect(forbiddenAddressReason('::ffff:127.0.0.1')).toBe('loopback (IPv4 in IPv6)');
    expect(forbiddenAddressReason('::ffff:8.8.8.8')).toBeNull();
    expect(forbiddenAddressReason('169.254.169.254')).toContain('metadata');
    expect(forbiddenAddressReason('1.1.1.1')).toBeNull();
    expect(forbiddenAddressReason('2606:4700::1111')).toBeNull();
    expect(forbiddenAddressReason('example.com')).toBe('not an IP address');
  });
});
