import { describe, expect, it } from 'vitest';
import { LogCapture } from '../../../test/support/app.js';
import { createLogger, scrubUrl } from './logger.js';

describe('createLogger()', () => {
  it('redacts credentials, tokens and card data wherever they sit in a log object', () => {
    const capture = new LogCapture();
    const log = createLogger('info', capture);
    log.info(
      {
        req: { headers: { authorization: 'Basic c2VjcmV0' } },
        password: 'Test@1234567',
        body: { client_secret: 's3', refresh_token: 'rt', cardNumber: '4111111111111111', cvv: '123' },
      },
      'x',
    );
    const line = capture.lines.join('\n');
    for (const secret of ['c2VjcmV0', 'Test@1234567', 's3', '"rt"', '4111111111111111', '"123"']) expect(line).not.toContain(secret);
    expect(line).toContain('[Redacted]');
  });

  it('scrubs token and secret values out of logged URLs', () => {
    expect(scrubUrl('/oauth/check_token?token=abc&x=1')).toBe('/oauth/check_token?token=[Redacted]&x=1');
    expect(scrubUrl('/a?password=p&client_secret=s')).toBe('/a?password=[Redacted]&client_secret=[Redacted]');
    // Keys are compared decoded, as the server reads them.
    expect(scrubUrl('/oauth/token?pass%77ord=Secret&grant_type=password&Token=t')).toBe(
      '/oauth/token?pass%77ord=[Redacted]&grant_type=password&Token=[Redacted]',
    );
    expect(scrubUrl('/x?%E0%A4=1&a')).toBe('/x?%E0%A4=1&a');
    expect(scrubUrl('/plain')).toBe('/plain');
    // The SDK's BIN lookup: a 15-digit prefix (no Luhn run to mask) keeps its BIN only.
    expect(scrubUrl('/api/v0/bin/details?bin=411111111111111&transactionId=TXN1')).toBe('/api/v0/bin/details?bin=41111111*&transactionId=TXN1');
    expect(scrubUrl('/api/v0/bin/details?bin=411111')).toBe('/api/v0/bin/details?bin=411111');
    expect(scrubUrl('/api/v0/events/4111111111111111?q=378282246310005')).toBe('/api/v0/events/411111******1111?q=378282*****0005');
    expect(scrubUrl('/api/v0/events/4111111111111112?at=1767225600001')).toBe('/api/v0/events/4111111111111112?at=1767225600001');
  });
});
