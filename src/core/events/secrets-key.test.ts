import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretsKey } from './secrets-key.js';

describe('SecretsKey', () => {
  it('seals with AES-256-GCM bound to a context; another key or context cannot open it', () => {
    const key = SecretsKey.random();
    const sealed = key.seal('whsec_abc', 'webhook-endpoint:whe_1:secret');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('whsec_abc');
    expect(key.seal('whsec_abc', 'c')).not.toBe(key.seal('whsec_abc', 'c'));
    expect(key.open(sealed, 'webhook-endpoint:whe_1:secret')).toBe('whsec_abc');
    expect(() => key.open(sealed, 'webhook-endpoint:whe_2:secret')).toThrow();
    expect(() => SecretsKey.random().open(sealed, 'webhook-endpoint:whe_1:secret')).toThrow();
    const tampered = `v1.${Buffer.from(Buffer.from(sealed.slice(3), 'base64').map((b, i) => (i === 30 ? b ^ 1 : b))).toString('base64')}`;
    expect(() => key.open(tampered, 'webhook-endpoint:whe_1:secret')).toThrow();
  });

  it('creates the key file once with mode 0600 and reads the same key afterwards', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tijori-key-'));
    try {
      const first = SecretsKey.fromDataDir(dir);
      const file = path.join(dir, 'secrets.key');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const sealed = first.seal('x', 'ctx');
      expect(SecretsKey.fromDataDir(dir).open(sealed, 'ctx')).toBe('x');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts only 64 hex characters', () => {
    expect(() => SecretsKey.fromHex('ab')).toThrow(/64 hexadecimal/);
    const key = SecretsKey.fromHex('a'.repeat(64));
    expect(SecretsKey.fromHex('a'.repeat(64)).open(key.seal('y', 'c'), 'c')).toBe('y');
  });
});
