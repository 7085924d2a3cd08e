import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../core/errors/app-error.js';
import { describePlan, planScenario } from './outcome.js';
import { assertSupported, formatIsoDuration, formatScenario, parseIsoDuration, parseScenario, scenarioFrom, SCENARIOS } from './scenario.js';

const DEFAULTS = { declineReason: 'card_declined', failReason: 'issuer_unavailable' };

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('ISO-8601 durations', () => {
  it.each([
    ['PT10M', 600_000],
    ['PT1H30M', 5_400_000],
    ['P1D', 86_400_000],
    ['P3DT4H', (3 * 24 + 4) * 3_600_000],
    ['PT45S', 45_000],
    ['P1W', 7 * 86_400_000],
    ['P1DT2H3M4S', 93_784_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseIsoDuration(text)).toBe(ms);
  });

  it.each([
    ['P1M', 'years and months'],
    ['P1Y', 'years and months'],
    ['P1Y2M', 'years and months'],
    ['PT', 'names no'],
    ['P', 'names no'],
    ['P1DT', 'a T must be followed'],
    ['PT0M', 'longer than zero'],
    ['PT1.5H', 'expected an ISO-8601 duration'],
    ['pt10m', 'expected an ISO-8601 duration'],
    ['10M', 'expected an ISO-8601 duration'],
    ['PT10M ', 'expected an ISO-8601 duration'],
    ['PT-5M', 'expected an ISO-8601 duration'],
    ['P1W2D', 'expected an ISO-8601 duration'],
    ['P400D', 'at most P366D'],
  ])('refuses %s (%s)', (text, why) => {
    const err = errorOf(() => parseIsoDuration(text, `succeed_after:${text}`));
    expect(err.code).toBe('invalid_scenario');
    expect(err.status).toBe(400);
    expect(err.message).toContain(`'${text}'`);
    expect(err.message).toContain(`succeed_after:${text}`);
    expect(err.message).toContain(why);
  });

  it('formats every duration it parses back to an equal duration', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 366 * 86_400 }), (seconds) => {
        const text = formatIsoDuration(seconds * 1000);
        expect(parseIsoDuration(text)).toBe(seconds * 1000);
      }),
    );
    expect(formatIsoDuration(5_400_000)).toBe('PT1H30M');
    expect(formatIsoDuration(86_400_000 + 60_000)).toBe('P1DT1M');
  });
});

describe('parseScenario', () => {
  it('parses every documented form', () => {
    expect(parseScenario('succeed')).toEqual({ name: 'succeed' });
    expect(parseScenario('decline')).toEqual({ name: 'decline', reason: undefined });
    expect(parseScenario('decline:insufficient_funds')).toEqual({ name: 'decline', reason: 'insufficient_funds' });
    expect(parseScenario('fail:bank_unavailable')).toEqual({ name: 'fail', reason: 'bank_unavailable' });
    expect(parseScenario('timeout')).toEqual({ name: 'timeout' });
    expect(parseScenario('timeout_then_succeed')).toEqual({ name: 'timeout_then_succeed', afterMs: undefined });
    expect(parseScenario('timeout_then_succeed:PT5M')).toEqual({ name: 'timeout_then_succeed', afterMs: 300_000 });
    expect(parseScenario('succeed_after:PT10M')).toEqual({ name: 'succeed_after', afterMs: 600_000 });
    expect(parseScenario('fail_after:PT1H')).toEqual({ name: 'fail_after', afterMs: 3_600_000 });
    expect(parseScenario('pending')).toEqual({ name: 'pending' });
    expect(parseScenario('reverse_after:P1D')).toEqual({ name: 'reverse_after', afterMs: 86_400_000 });
    expect(parseScenario('webhook_duplicate')).toEqual({ name: 'webhook_duplicate' });
    expect(parseScenario('  succeed  ')).toEqual({ name: 'succeed' });
  });

  it.each([
    ['', 'it is empty'],
    ['explode', 'unknown scenario; expected one of succeed, decline[:reason]'],
    ['Succeed', 'unknown scenario'],
    ['succeed:now', "'succeed' takes no argument"],
    ['pending:PT1M', "'pending' takes no argument"],
    ['succeed_after', "'succeed_after' needs a duration, e.g. succeed_after:PT10M"],
    ['succeed_after:', "'succeed_after' needs a duration"],
    ['reverse_after:tomorrow', 'expected an ISO-8601 duration'],
    ['decline:Insufficient Funds', 'a reason is a snake_case code'],
    ['decline:', 'a reason is a snake_case code'],
  ])('refuses %j with a message naming it', (text, why) => {
    const err = errorOf(() => parseScenario(text));
    expect(err.code).toBe('invalid_scenario');
    expect(err.param).toBe('X-Tijori-Scenario');
    expect(err.message).toContain(why);
    if (text.trim() !== '') expect(err.message).toContain(text.split(':')[0]!);
  });

  it('formats back to the same text for every documented form', () => {
    for (const text of [
      'succeed',
      'decline',
      'decline:insufficient_funds',
      'fail',
      'timeout',
      'timeout_then_succeed',
      'timeout_then_succeed:PT5M',
      'succeed_after:PT1H30M',
      'fail_after:P1D',
      'pending',
      'reverse_after:P3DT4H',
      'webhook_duplicate',
    ]) {
      expect(formatScenario(parseScenario(text))).toBe(text);
    }
  });

  it('lists every scenario name once in SCENARIOS', () => {
    const names = SCENARIOS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const s of SCENARIOS) expect(parseScenario(s.syntax.replace(/\[.*\]$/, '').replace(':duration', ':PT1M')).name).toBe(s.name);
  });
});

describe('the messages docs/api/sandbox.md shows', () => {
  it('are the messages the parser gives', () => {
    expect(errorOf(() => parseScenario('succeed_after:10m')).message).toBe(
      "Invalid duration '10m' in scenario 'succeed_after:10m': expected an ISO-8601 duration such as PT10M, PT1H30M, P1D or P3DT4H",
    );
    expect(errorOf(() => parseScenario('explode')).message).toMatch(
      /^Invalid scenario 'explode': unknown scenario; expected one of succeed, decline\[:reason\], /,
    );
    const doc = fs.readFileSync('docs/api/sandbox.md', 'utf8');
    expect(doc).toContain(errorOf(() => parseScenario('succeed_after:10m')).message);
  });
});

describe('scenarioFrom(request)', () => {
  it('reads the X-Tijori-Scenario header (Node lower-cases header names)', () => {
    expect(scenarioFrom({ headers: {} })).toBeUndefined();
    expect(scenarioFrom({ headers: { 'x-tijori-scenario': 'succeed_after:PT10M' } })).toEqual({ name: 'succeed_after', afterMs: 600_000 });
  });

  it('refuses a malformed value and a repeated header', () => {
    expect(errorOf(() => scenarioFrom({ headers: { 'x-tijori-scenario': 'later' } })).message).toContain("Invalid scenario 'later'");
    expect(errorOf(() => scenarioFrom({ headers: { 'x-tijori-scenario': ['succeed', 'fail'] } })).message).toBe(
      'The X-Tijori-Scenario header may be sent only once',
    );
  });

  it('assertSupported names the scenario and what the rail supports', () => {
    const err = errorOf(() => assertSupported({ name: 'reverse_after', afterMs: 60_000 }, ['succeed', 'decline'], 'the card rail'));
    expect(err.code).toBe('scenario_not_supported');
    expect(err.status).toBe(400);
    expect(err.message).toBe("Scenario 'reverse_after:PT1M' is not supported by the card rail; supported: succeed, decline");
    expect(() => assertSupported(undefined, ['succeed'], 'x')).not.toThrow();
    expect(() => assertSupported({ name: 'succeed' }, ['succeed'], 'x')).not.toThrow();
  });
});

describe('planScenario and describePlan', () => {
  it.each([
    ['succeed', 'succeeded'],
    ['decline', 'declined (card_declined)'],
    ['decline:insufficient_funds', 'declined (insufficient_funds)'],
    ['fail', 'failed (issuer_unavailable)'],
    ['timeout', 'no answer'],
    ['timeout_then_succeed', 'no answer, then succeeded after PT2M'],
    ['timeout_then_succeed:PT7M', 'no answer, then succeeded after PT7M'],
    ['succeed_after:PT10M', 'pending, then succeeded after PT10M'],
    ['fail_after:PT1H', 'pending, then failed (issuer_unavailable) after PT1H'],
    ['pending', 'pending'],
    ['reverse_after:P1D', 'succeeded, then reversed (returned_by_beneficiary_bank) after P1D'],
    ['webhook_duplicate', 'succeeded, webhook delivered twice'],
  ])('%s: %s', (text, description) => {
    expect(describePlan(planScenario(parseScenario(text), DEFAULTS))).toBe(description);
  });

  it('gives the exact plan of a delayed failure', () => {
    expect(planScenario(parseScenario('fail_after:PT30M'), DEFAULTS)).toEqual({
      immediate: 'pending',
      later: [{ afterMs: 1_800_000, status: 'failed', reasonCode: 'issuer_unavailable' }],
      webhookDuplicate: false,
    });
  });
});
