import type { SandboxTestData } from './rails/index.js';
import { sandboxTestData } from './sandbox-test-data.js';

/** The command that writes docs/sandbox.md; the drift test prints it. */
export const REGENERATE_COMMAND = 'npx tsx scripts/generate-sandbox-doc.ts';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** docs/sandbox.md, rendered from the same registry as GET /api/v0/sandbox/test-data. */
export function renderSandboxDoc(data: SandboxTestData = sandboxTestData()): string {
  const out: string[] = [];
  out.push(
    "<!-- Generated from src/rails (registry.ts and each rail's test-data.ts). Do not edit: run `" + REGENERATE_COMMAND + '`. -->',
    '',
    '# Sandbox test data and scenarios',
    '',
    'Every outcome of a simulated rail is decided by documented test data or by a scenario named on the request, never by chance.',
    'This page lists them all; `GET /api/v0/sandbox/test-data` answers the same data (see [api/sandbox.md](api/sandbox.md)).',
    "All values are simulator-only: they mean nothing to EnKash or to a bank. Reference §2.12 (EnKash's test cards) was not published,",
    'so its suggested values are adopted here, except that its RuPay card `6521 5555 5555 5555` fails the Luhn check it requires;',
    'the sandbox uses `6521 5555 5555 5556`.',
    '',
    '## How an outcome is decided',
    '',
    ...data.precedence.map((p, i) => `${i + 1}. ${p}`),
    '',
    `Outcomes that are not immediate (a delay, a NEFT batch, a reversal, a collect expiry) are timers on the company's sandbox clock: they happen when sandbox time reaches them, whether real time passes or the clock is advanced (\`docs/api/sandbox-clock.md\`), and the product reports them (webhook, status API).`,
    '',
    '## Scenarios',
    '',
    `Name a scenario in the \`${data.scenarioHeader}\` header of the request that reaches the rail (for example a payment submit or a payout). The header is additive: EnKash's bodies are unchanged. A malformed scenario answers 400 \`invalid_scenario\`; a scenario the rail does not support answers 400 \`scenario_not_supported\`; both name the scenario and change nothing.`,
    '',
    'Durations are ISO-8601, days and time only: `PT30S`, `PT10M`, `PT1H30M`, `P1D`, `P3DT4H`, `P1W`; integers, longer than zero and at most `P366D`. Years and months (`P1M`, `P1Y`) are refused: their length depends on the calendar. Reasons are snake_case codes (`decline:insufficient_funds`).',
    '',
    '| scenario | meaning |',
    '|---|---|',
    ...data.scenarios.map((s) => `| \`${s.syntax}\` | ${cell(s.meaning)} |`),
    '',
    'Outcome lines below read: what the call answers, then what is reported later and when (sandbox time after the call), e.g. `pending, then succeeded after PT10M`. `no answer` means the rail never answers the call: the product applies its own timeout, as after a real timeout.',
    '',
  );
  for (const rail of data.rails) {
    out.push(`## ${rail.title}`, '', `Rail \`${rail.rail}\`. ${rail.summary}`, '');
    out.push(`Scenarios: ${rail.scenarios.map((s) => `\`${s}\``).join(', ')}.`, '');
    out.push(`Default: ${rail.defaultOutcome}.`, '');
    if (rail.rules.length > 0) out.push('Rules:', '', ...rail.rules.map((r) => `- ${r}`), '');
    out.push('| kind | value | operation | outcome | description |', '|---|---|---|---|---|');
    for (const v of rail.magicValues) out.push(`| ${v.kind} | \`${v.value}\` | ${v.operation} | ${cell(v.outcome)} | ${cell(v.description)} |`);
    out.push('');
  }
  for (const product of data.products) {
    out.push(`## ${product.title}`, '', product.summary, '');
    out.push(`Scenarios: ${product.scenarios.map((s) => `\`${s}\``).join(', ')}.`, '');
    out.push(`Default: ${product.defaultOutcome}.`, '');
    if (product.rules.length > 0) out.push('Rules:', '', ...product.rules.map((r) => `- ${r}`), '');
    out.push('| kind | value | operation | outcome | description |', '|---|---|---|---|---|');
    for (const v of product.magicValues) out.push(`| ${v.kind} | \`${v.value}\` | ${v.operation} | ${cell(v.outcome)} | ${cell(v.description)} |`);
    out.push('');
  }
  out.push(
    '## Rails without a simulator yet',
    '',
    'Bharat Connect bill payments (`bbps`) and the Bharat Connect B2B network (`b2b_network`) have their interfaces in `src/rails/`; their simulators and test data (billers, consumer numbers, counterparties) land with the Bill Payments and B2B Invoicing products.',
    '',
  );
  return out.join('\n');
}
