import { InvalidScenarioError, ScenarioNotSupportedError } from './errors.js';

/**
 * Scenarios: how a request names the behaviour of the simulated rail behind it, instead of (and
 * before) the test data. The grammar is `name` or `name:argument`:
 *
 *   succeed | decline[:reason] | fail[:reason] | timeout | timeout_then_succeed[:duration]
 *   | succeed_after:duration | fail_after:duration | pending | reverse_after:duration
 *   | webhook_duplicate
 *
 * Durations are ISO-8601 (`PT10M`, `PT1H30M`, `P1D`, `P3DT4H`, `P1W`), parsed strictly. Reasons are
 * snake_case codes that the rail reports as it would a bank's decline reason.
 */
export type Scenario =
  | { name: 'succeed' }
  | { name: 'decline'; reason: string | undefined }
  | { name: 'fail'; reason: string | undefined }
  | { name: 'timeout' }
  | { name: 'timeout_then_succeed'; afterMs: number | undefined }
  | { name: 'succeed_after'; afterMs: number }
  | { name: 'fail_after'; afterMs: number }
  | { name: 'pending' }
  | { name: 'reverse_after'; afterMs: number }
  | { name: 'webhook_duplicate' };

export type ScenarioName = Scenario['name'];

/** The header that names a scenario: additive to EnKash's bodies, which it never touches. */
export const SCENARIO_HEADER = 'x-tijori-scenario';

/** Every scenario with its syntax and meaning, in the order docs/sandbox.md lists them. */
export const SCENARIOS: ReadonlyArray<{ name: ScenarioName; syntax: string; meaning: string }> = [
  { name: 'succeed', syntax: 'succeed', meaning: 'The rail answers success at once.' },
  { name: 'decline', syntax: 'decline[:reason]', meaning: "The rail answers a decline at once, with the reason code given (or the rail's default)." },
  { name: 'fail', syntax: 'fail[:reason]', meaning: "The rail answers a technical failure at once, with the reason code given (or the rail's default)." },
  { name: 'timeout', syntax: 'timeout', meaning: "The rail never answers; the product's own timeout decides what happens." },
  {
    name: 'timeout_then_succeed',
    syntax: 'timeout_then_succeed[:duration]',
    meaning: 'No answer to the call; success is reported later (default after PT2M).',
  },
  { name: 'succeed_after', syntax: 'succeed_after:duration', meaning: 'Pending at once; success reported after the duration of sandbox time.' },
  { name: 'fail_after', syntax: 'fail_after:duration', meaning: 'Pending at once; failure reported after the duration of sandbox time.' },
  { name: 'pending', syntax: 'pending', meaning: "Pending at once and never resolved by the rail; the product's timeout or expiry decides." },
  { name: 'reverse_after', syntax: 'reverse_after:duration', meaning: 'Success at once, then a reversal (money returned) after the duration.' },
  { name: 'webhook_duplicate', syntax: 'webhook_duplicate', meaning: 'Success at once; the product delivers its webhook twice with the same webhook id.' },
];

const REASON = /^[a-z][a-z0-9_]{0,63}$/;
/** One day and a little: the longest delay a scenario may ask for is a year. */
const MAX_DURATION_MS = 366 * 86_400_000;

/**
 * Parses an ISO-8601 duration of days, hours, minutes and seconds (and weeks), strictly:
 * `P[nW]` or `P[nD][T[nH][nM][nS]]`, integers only, at least one component, no component after a
 * bare `T`. Years and months are refused because their length depends on the calendar.
 * @throws invalid_scenario naming the duration.
 */
export function parseIsoDuration(text: string, scenario = text): number {
  const bad = (why: string) => new InvalidScenarioError(`Invalid duration '${text}' in scenario '${scenario}': ${why}`, { param: 'X-Tijori-Scenario' });
  if (/^P\d+[YM]/.test(text) || /^P(\d+Y)?\d+M/.test(text)) throw bad('years and months are not allowed (use days, e.g. P30D)');
  const weeks = /^P(\d{1,4})W$/.exec(text);
  if (weeks) return checkRange(Number(weeks[1]) * 7 * 86_400_000, bad);
  const m = /^P(?:(\d{1,4})D)?(?:T(?:(\d{1,5})H)?(?:(\d{1,6})M)?(?:(\d{1,8})S)?)?$/.exec(text);
  if (!m) throw bad('expected an ISO-8601 duration such as PT10M, PT1H30M, P1D or P3DT4H');
  const [, d, h, min, s] = m;
  if (d === undefined && h === undefined && min === undefined && s === undefined) throw bad('it names no days, hours, minutes or seconds');
  if (text.endsWith('T')) throw bad('a T must be followed by hours, minutes or seconds');
  const ms = ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Number(s ?? 0) * 1000;
  return checkRange(ms, bad);
}

function checkRange(ms: number, bad: (why: string) => Error): number {
  if (ms <= 0) throw bad('it must be longer than zero');
  if (ms > MAX_DURATION_MS) throw bad('it must be at most P366D');
  return ms;
}

/** The canonical ISO-8601 form of a duration (`P1DT2H30M`), used in outcome descriptions. */
export function formatIsoDuration(ms: number): string {
  let rest = Math.round(ms / 1000);
  const days = Math.floor(rest / 86_400);
  rest -= days * 86_400;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  const seconds = rest - minutes * 60;
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
  if (days === 0 && time === '') return 'PT0S';
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}

/**
 * Parses a scenario. @throws invalid_scenario (400) with a message that names the scenario and
 * what is wrong with it.
 */
export function parseScenario(text: string): Scenario {
  const bad = (why: string) => new InvalidScenarioError(`Invalid scenario '${text}': ${why}`, { param: 'X-Tijori-Scenario' });
  const trimmed = text.trim();
  if (trimmed === '') throw bad('it is empty');
  const colon = trimmed.indexOf(':');
  const name = colon === -1 ? trimmed : trimmed.slice(0, colon);
  const arg = colon === -1 ? undefined : trimmed.slice(colon + 1);
  const noArg = () => {
    if (arg !== undefined) throw bad(`'${name}' takes no argument`);
  };
  const reason = () => {
    if (arg === undefined) return undefined;
    if (!REASON.test(arg)) throw bad('a reason is a snake_case code of at most 64 characters, e.g. insufficient_funds');
    return arg;
  };
  const duration = () => {
    if (arg === undefined || arg === '') throw bad(`'${name}' needs a duration, e.g. ${name}:PT10M`);
    return parseIsoDuration(arg, trimmed);
  };
  switch (name) {
    case 'succeed':
    case 'timeout':
    case 'pending':
    case 'webhook_duplicate':
      noArg();
      return { name };
    case 'decline':
    case 'fail':
      return { name, reason: reason() };
    case 'timeout_then_succeed':
      return { name, afterMs: arg === undefined ? undefined : duration() };
    case 'succeed_after':
    case 'fail_after':
    case 'reverse_after':
      return { name, afterMs: duration() };
    default:
      throw bad(`unknown scenario; expected one of ${SCENARIOS.map((s) => s.syntax).join(', ')}`);
  }
}

/** The text form of a scenario, the inverse of parseScenario. */
export function formatScenario(s: Scenario): string {
  switch (s.name) {
    case 'decline':
    case 'fail':
      return s.reason === undefined ? s.name : `${s.name}:${s.reason}`;
    case 'timeout_then_succeed':
      return s.afterMs === undefined ? s.name : `${s.name}:${formatIsoDuration(s.afterMs)}`;
    case 'succeed_after':
    case 'fail_after':
    case 'reverse_after':
      return `${s.name}:${formatIsoDuration(s.afterMs)}`;
    default:
      return s.name;
  }
}

/**
 * The scenario named on a request (the `X-Tijori-Scenario` header), or undefined when there is
 * none. Products call this in their route handlers and pass the result to the rail. The header may
 * appear once. @throws invalid_scenario (400).
 */
export function scenarioFrom(request: { headers: Record<string, string | string[] | undefined> }): Scenario | undefined {
  const value = request.headers[SCENARIO_HEADER];
  if (value === undefined) return undefined;
  // Node joins a repeated header with ", "; a comma is not in the grammar, so it means two headers.
  if (Array.isArray(value) || value.includes(',')) {
    throw new InvalidScenarioError('The X-Tijori-Scenario header may be sent only once', { param: 'X-Tijori-Scenario' });
  }
  return parseScenario(value);
}

/**
 * Refuses a scenario that the rail (or one of its operations) does not support, naming the
 * scenarios it does. @throws scenario_not_supported (400).
 */
export function assertSupported(scenario: Scenario | undefined, supported: readonly ScenarioName[], where: string): void {
  if (scenario && !supported.includes(scenario.name)) {
    throw new ScenarioNotSupportedError(`Scenario '${formatScenario(scenario)}' is not supported by ${where}; supported: ${supported.join(', ')}`, {
      param: 'X-Tijori-Scenario',
    });
  }
}
