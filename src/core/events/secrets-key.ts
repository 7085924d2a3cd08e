import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The server master key that seals webhook signing secrets and static headers at rest
 * (AES-256-GCM). Unlike client secrets, these cannot be stored as digests: Tijori must produce
 * HMACs with them. Production sets SECRETS_KEY (64 hex characters); otherwise a key is generated
 * on first start into `<data folder>/secrets.key` (mode 0600) and reused afterwards.
 */
export class SecretsKey {
  private readonly digestKeys = new Map<string, Buffer>();
  private constructor(private readonly key: Buffer) {}

  static fromHex(hex: string): SecretsKey {
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('SECRETS_KEY must be 64 hexadecimal characters (32 bytes)');
    return new SecretsKey(Buffer.from(hex, 'hex'));
  }

  static random(): SecretsKey {
    return new SecretsKey(randomBytes(32));
  }

  /**
   * Reads the key file of a data folder, creating it when missing. The exclusive create makes two
   * processes starting at once agree on one key: the loser of the race reads the winner's file.
   */
  static fromDataDir(dataDir: string): SecretsKey {
    const file = path.join(dataDir, 'secrets.key');
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
    }
    // A concurrent creator may not have written yet: wait briefly for the 64 characters.
    for (let i = 0; i < 50; i++) {
      const text = fs.readFileSync(file, 'utf8').trim();
      if (text.length === 64) return SecretsKey.fromHex(text);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
    throw new Error(`${file} does not hold a 32-byte hex key`);
  }

  /** `v1.` + base64(iv ‖ tag ‖ ciphertext). `context` (e.g. the row id) is bound as associated data. */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  /**
   * A keyed digest (HMAC-SHA256, hex) under a key derived for `purpose` (HKDF): a value that must
   * never be stored in clear can still be recognised (the verification suite's Aadhaar numbers).
   */
  digest(value: string, purpose: string): string {
    let key = this.digestKeys.get(purpose);
    if (!key) this.digestKeys.set(purpose, (key = Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), `tijori-digest:${purpose}`, 32))));
    return createHmac('sha256', key).update(value, 'utf8').digest('hex');
  }

  /** Throws when the value was sealed under another key or context, or was tampered with. */
  open(sealed: string, context: string): string {
    if (!sealed.startsWith('v1.')) throw new Error('unknown sealed-value format');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
