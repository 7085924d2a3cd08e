import { RailInputError } from '../../rails/errors.js';
import type { UpiRail } from '../../rails/index.js';
import { assertSupported } from '../../rails/scenario.js';
import { keptIsInput, type CheckSpec } from './checks.js';

/**
 * The UPI VPA check (issue 20 part 7; ADR 0042): the format, a known PSP handle, then the UPI
 * rail's own lookup, the one the gateway's Verify UPI VPA (`POST /api/v0/payment/vpa/verify`)
 * answers: the holder's name of a test VPA, "Sandbox Payer" for any other VPA, and no such VPA
 * for `unknown@enkash`. A malformed VPA or an unknown handle is refused (400) before the lookup.
 */

/** The VPA of the issue: 2–256 letters, digits, dots, dashes or underscores, `@`, a handle of 2–64 letters. */
export const VPA_PATTERN = /^[a-zA-Z0-9.\-_]{2,256}@[a-zA-Z]{2,64}$/;

/** The PSP handles the sandbox knows (NPCI's list is longer), with who runs each. */
export const UPI_HANDLES: Readonly<Record<string, string>> = {
  enkash: 'EnKash (sandbox test VPAs and virtual accounts)',
  sandbox: 'Tijori sandbox payer',
  upi: 'BHIM (NPCI)',
  ybl: 'PhonePe (Yes Bank)',
  ibl: 'PhonePe (ICICI Bank)',
  axl: 'PhonePe (Axis Bank)',
  okhdfcbank: 'Google Pay (HDFC Bank)',
  okicici: 'Google Pay (ICICI Bank)',
  oksbi: 'Google Pay (State Bank of India)',
  okaxis: 'Google Pay (Axis Bank)',
  paytm: 'Paytm Payments Bank',
  ptyes: 'Paytm (Yes Bank)',
  ptsbi: 'Paytm (State Bank of India)',
  apl: 'Amazon Pay (Axis Bank)',
  hdfcbank: 'HDFC Bank',
  icici: 'ICICI Bank',
  sbi: 'State Bank of India',
  axisbank: 'Axis Bank',
  kotak: 'Kotak Mahindra Bank',
  airtel: 'Airtel Payments Bank',
};

/** Lower-cased, the pattern and the handle checked. @throws invalid_rail_input (param `vpa`) */
export function normalizeCheckVpa(raw: string, param = 'vpa'): string {
  const vpa = raw.trim();
  if (!VPA_PATTERN.test(vpa)) {
    throw new RailInputError(`Invalid field ${param}: must be 2 to 256 letters, digits, dots, dashes or underscores, @, and a handle of 2 to 64 letters`, {
      param,
    });
  }
  const handle = vpa.slice(vpa.lastIndexOf('@') + 1).toLowerCase();
  if (UPI_HANDLES[handle] === undefined) throw new RailInputError(`Invalid field ${param}: unknown UPI handle @${handle}`, { param });
  return vpa.toLowerCase();
}

/** The VPA check on the given UPI rail. Scenario `fail`: the UPI switch unavailable (FAILED). */
export function vpaCheck(upi: Pick<UpiRail, 'verifyVpa'>): CheckSpec {
  return {
    type: 'VPA',
    prepare(raw) {
      const vpa = normalizeCheckVpa(raw);
      return { normalised: vpa, masked: vpa };
    },
    retryInput: keptIsInput,
    async lookup(vpa, { scenario }) {
      assertSupported(scenario, ['succeed', 'fail'], 'the VPA check');
      if (scenario?.name === 'fail') {
        const reasonCode = scenario.reason ?? 'upi_switch_unavailable';
        return {
          kind: 'done',
          status: 'FAILED',
          result: { reasonCode },
          nameOnRecord: null,
          message: 'The UPI switch is unavailable; try again later with a new referenceId',
        };
      }
      const answer = await upi.verifyVpa(vpa);
      const handle = vpa.slice(vpa.lastIndexOf('@') + 1);
      if (!answer.exists) return { kind: 'done', status: 'NOT_FOUND', result: null, nameOnRecord: null, message: 'No such VPA at its PSP' };
      const name = answer.name ?? null;
      return {
        kind: 'done',
        status: 'VALID',
        result: { vpa: answer.vpa, handle, provider: UPI_HANDLES[handle], customerName: name },
        nameOnRecord: name,
        message: 'The VPA exists',
      };
    },
  };
}
