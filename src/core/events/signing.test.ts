import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newSigningSecret, sign, signatureHeader, verify } from './signing.js';

const nowSeconds = () => Math.floor(Date.now() / 1000);

function flipBit(bytes: Buffer, bit: number): Buffer {
  const out = Buffer.from(bytes);
  const i = Math.floor(bit / 8) % out.length;
  out[i] = out[i]! ^ (1 << (bit % 8));
  return out;
}

describe('Standard Webhooks signatures (WH-1)', () => {
  it('has the documented shape: whsec_ + base64 of 32 bytes; v1,<base64 HMAC-SHA256(secret bytes, id.ts.body)>', () => {
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    const expected = createHmac('sha256', Buffer.from(secret.slice(6), 'base64'))
      .update('evt_1.1700000000.{"a":1}')
      .digest('base64');
    expect(sign(secret, 'evt_1', 1_700_000_000, '{"a":1}')).toBe(`v1,${expected}`);
    expect(signatureHeader([secret, newSigningSecret()], 'evt_1', 1, '{}').split(' ')).toHaveLength(2);
  });

  it('every signature verifies with the standardwebhooks package (10,000 fast-check payloads)', () => {
    const secret = newSigningSecret();
    const wh = new Webhook(secret);
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.json(), fc.constant('')), fc.stringMatching(/^[A-Za-z0-9_]{1,40}$/), (body, id) => {
        const ts = nowSeconds();
        const headers = { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signatureHeader([secret], id, ts, body) };
        expect(() => wh.verify(body, headers, { jsonParse: false })).not.toThrow();
        expect(verify(secret, { id, timestamp: String(ts), signature: headers['webhook-signature'] }, body, ts)).toBe(true);
      }),
      { numRuns: 10_000 },
    );
  });

  it('verifies 200 kB bodies and keys that need JSON escaping', () => {
    const secret = newSigningSecret();
    const wh = new Webhook(secret);
    for (const body of [JSON.stringify({ 'a"b\\c\n': 'x'.repeat(200_000) }), JSON.stringify({ ключ: '🚀', '\u2028': '\u0000' })]) {
      const ts = nowSeconds();
      const headers = { 'webhook-id': 'evt_X', 'webhook-timestamp': String(ts), 'webhook-signature': sign(secret, 'evt_X', ts, body) };
      expect(wh.verify(body, headers)).toEqual(JSON.parse(body));
    }
  });

  it('rejects every single-bit flip in body, id, timestamp or signature', () => {
    const secret = newSigningSecret();
    const wh = new Webhook(secret);
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.nat(), fc.constantFrom('body', 'id', 'timestamp', 'signature'), (text, bit, where) => {
        const body = Buffer.from(text, 'utf8');
        const id = 'evt_01JDQ3Z6V0C8Q9Y4N6H2T5R7KX';
        const ts = String(nowSeconds());
        const signature = sign(secret, id, Number(ts), text);
        const h = { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': signature };
        let payload: Buffer = body;
        if (where === 'body') payload = flipBit(body, bit);
        if (where === 'id') h['webhook-id'] = flipBit(Buffer.from(id), bit % (id.length * 7)).toString('latin1');
        // Only the last digit's low bits keep a timestamp inside the tolerance: the signature must fail then too.
        if (where === 'timestamp') h['webhook-timestamp'] = ts.slice(0, -1) + String.fromCharCode(ts.charCodeAt(ts.length - 1) ^ (1 << (bit % 3)));
        if (where === 'signature') h['webhook-signature'] = `v1,${flipBit(Buffer.from(signature.slice(3), 'base64'), bit % 256).toString('base64')}`;
        expect(() => wh.verify(payload, h)).toThrow();
        expect(
          verify(secret, { id: h['webhook-id'], timestamp: h['webhook-timestamp'], signature: h['webhook-signature'] }, payload.toString('utf8'), Number(ts)),
        ).toBe(false);
      }),
      { numRuns: 4000 },
    );
  });
});

describe('replay window (WH-2)', () => {
  it('accepts timestamps ±299 s from now and rejects ±301 s, in both directions', () => {
    const secret = newSigningSecret();
    const now = 1_800_000_000;
    for (const [offset, ok] of [
      [-299, true],
      [299, true],
      [-301, false],
      [301, false],
      [0, true],
    ] as const) {
      const ts = now + offset;
      expect(verify(secret, { id: 'evt_A', timestamp: String(ts), signature: sign(secret, 'evt_A', ts, 'x') }, 'x', now), `offset ${offset}`).toBe(ok);
    }
  });

  it('accepts any one valid signature among several (rotation) and rejects unknown versions', () => {
    const oldSecret = newSigningSecret();
    const newSecret = newSigningSecret();
    const header = signatureHeader([newSecret, oldSecret], 'evt_B', 100, 'b');
    expect(verify(oldSecret, { id: 'evt_B', timestamp: '100', signature: header }, 'b', 100)).toBe(true);
    expect(verify(newSecret, { id: 'evt_B', timestamp: '100', signature: header }, 'b', 100)).toBe(true);
    expect(verify(newSigningSecret(), { id: 'evt_B', timestamp: '100', signature: header }, 'b', 100)).toBe(false);
    expect(verify(newSecret, { id: 'evt_B', timestamp: '100', signature: header.replaceAll('v1,', 'v2,') }, 'b', 100)).toBe(false);
  });
});
