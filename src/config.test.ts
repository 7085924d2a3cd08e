import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, SETTINGS } from './config.js';

describe('loadConfig()', () => {
  it('defaults to 127.0.0.1:8080, ./data, seeding on, info logs', () => {
    const c = loadConfig({}, {});
    expect(c).toMatchObject({ port: 8080, host: '127.0.0.1', dataDir: path.resolve('./data'), databaseUrl: undefined, logLevel: 'info', seed: true });
    expect(c.oauth).toEqual({
      lockoutAttempts: 3,
      lockoutMinutes: 30,
      ratePerClientPerMinute: 600,
      ratePerUsernamePerMinute: 30,
      refreshReuseGraceSeconds: 10,
    });
    expect(c.transferLimits).toEqual({ impsMaxPaise: 5_00_000_00n, upiMaxPaise: 1_00_000_00n, rtgsMinPaise: 2_00_000_00n });
  });

  it('reads the environment', () => {
    const c = loadConfig({}, { PORT: '9090', HOST: '0.0.0.0', TIJORI_DATA_DIR: '/tmp/x', LOG_LEVEL: 'warn', TIJORI_LOCKOUT_MINUTES: '5' });
    expect(c).toMatchObject({ port: 9090, host: '0.0.0.0', dataDir: '/tmp/x', logLevel: 'warn' });
    expect(c.oauth.lockoutMinutes).toBe(5);
  });

  it("reads the simulated bank rail's limits in rupees", () => {
    const c = loadConfig({ 'rtgs-min-rupees': '150000' }, { TIJORI_IMPS_MAX_RUPEES: '200000', TIJORI_UPI_TRANSFER_MAX_RUPEES: '500000' });
    expect(c.transferLimits).toEqual({ impsMaxPaise: 2_00_000_00n, upiMaxPaise: 5_00_000_00n, rtgsMinPaise: 1_50_000_00n });
    expect(() => loadConfig({}, { TIJORI_IMPS_MAX_RUPEES: '5.5' })).toThrow('TIJORI_IMPS_MAX_RUPEES must be a whole number from 1 to 1000000000 (got "5.5")');
  });

  it('lets flags win over the environment', () => {
    expect(loadConfig({ port: '7000', 'data-dir': '/tmp/flag' }, { PORT: '9090', TIJORI_DATA_DIR: '/tmp/env' })).toMatchObject({
      port: 7000,
      dataDir: '/tmp/flag',
    });
  });

  it('turns seeding off by default on PostgreSQL, and on when asked', () => {
    expect(loadConfig({}, { DATABASE_URL: 'postgres://u@h/db' }).seed).toBe(false);
    expect(loadConfig({}, { DATABASE_URL: 'postgres://u@h/db', TIJORI_SEED: 'true' }).seed).toBe(true);
    expect(loadConfig({ 'no-seed': true }, {}).seed).toBe(false);
    expect(loadConfig({ seed: true }, { DATABASE_URL: 'postgresql://u@h/db' }).seed).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be a whole number from 0 to 65535 (got "abc")'],
    [{ PORT: '70000' }, 'PORT must be a whole number from 0 to 65535 (got "70000")'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
    [{ DATABASE_URL: 'mysql://root:pw@h/db' }, 'DATABASE_URL must be a postgres:// or postgresql:// URL (got "mysql://***@h/db")'],
    [{ TIJORI_SEED: 'maybe' }, 'TIJORI_SEED must be true or false (got "maybe")'],
    [{ TIJORI_LOCKOUT_ATTEMPTS: '0' }, 'TIJORI_LOCKOUT_ATTEMPTS must be a whole number from 1 to 1000 (got "0")'],
    [{ HOST: 'bad host' }, 'HOST must be a host name or IP address (got "bad host")'],
  ])('refuses %o with a message naming the setting', (env, message) => {
    expect(() => loadConfig({}, env)).toThrow(new ConfigError(message));
  });
});

describe('the tijori command line', () => {
  it('TRUST_PROXY: off by default; true, a hop count, or addresses and CIDRs; anything else named', () => {
    expect(loadConfig({}, {}).trustProxy).toBe(false);
    expect(loadConfig({}, { TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({}, { TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ 'trust-proxy': '10.0.0.0/8, 127.0.0.1,loopback' }, {}).trustProxy).toBe('10.0.0.0/8,127.0.0.1,loopback');
    expect(() => loadConfig({}, { TRUST_PROXY: 'proxy.example.com' })).toThrow(
      new ConfigError('TRUST_PROXY must be true, false, a hop count or addresses/CIDRs separated by commas (got "proxy.example.com")'),
    );
  });

  it('accepts the flag of every documented setting', async () => {
    const { OPTIONS } = await import('./main.js');
    for (const setting of SETTINGS) {
      for (const flag of setting.flag.split(' / ')) {
        expect(Object.keys(OPTIONS), `${setting.env}: ${flag}`).toContain(flag.replace(/^--/, ''));
      }
    }
  });
});
