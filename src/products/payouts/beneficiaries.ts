import { withTransaction } from '../../core/db/transaction.js';
import type { PageRequest } from '../../core/http/pagination.js';
import { newId } from '../../core/ids/ids.js';
import type { BeneficiaryInput, PayoutContext, PayoutKit, PayoutsDeps } from './context.js';
import { PayoutBeneficiaryDestinationError, PayoutBeneficiaryInvalidError, PayoutBeneficiaryNotFoundError, PayoutInvalidChecksumError } from './errors.js';
import { IDENTIFIER_PATTERN, beneficiaryChecksumFields, checkBeneficiaryFields, type Beneficiary, type ChecksumVerdict } from './model.js';
import * as repo from './repository.js';

// Beneficiaries (reference §3 "Create Beneficiary", "Search Beneficiary", "Delete Beneficiary").

export function createBeneficiaryService({ deps, kit }: { deps: PayoutsDeps; kit: PayoutKit }) {
  const { db, clocks, registries } = deps;

  return {
    /**
     * "Create Beneficiary". Throws validation errors (422 payout_beneficiary_invalid, 412
     * payout_beneficiary_destination or payout_invalid_checksum) and payout_beneficiary_exists.
     */
    async addBeneficiary(ctx: PayoutContext, input: BeneficiaryInput): Promise<{ beneficiary: Beneficiary; checksum: ChecksumVerdict | null }> {
      const setting = await kit.checksumSetting(ctx);
      const checksum = kit.judgeChecksum({ setting, presented: input.checksum, fields: beneficiaryChecksumFields(input) });
      if (setting.mode === 'strict' && checksum !== 'valid') throw new PayoutInvalidChecksumError('Invalid checksum in the request', { param: 'checksum' });
      if (!IDENTIFIER_PATTERN.test(input.beneficiaryId))
        throw new PayoutBeneficiaryInvalidError('Please provide a valid Beneficiary ID (1 to 50 letters or digits)', { param: 'beneficiaryId' });
      const checked = checkBeneficiaryFields(input);
      if (!checked.ok) {
        const Err = checked.kind === 'destination' ? PayoutBeneficiaryDestinationError : PayoutBeneficiaryInvalidError;
        throw new Err(checked.rejection.message, { param: checked.param });
      }
      const d = checked.destination;
      if ('ifsc' in d && (await registries.lookupIfsc(d.ifsc)).outcome !== 'found') {
        throw new PayoutBeneficiaryInvalidError(`Please provide a valid Beneficiary IFSC: no bank branch has the IFSC ${d.ifsc}`, { param: 'beneficiaryIfsc' });
      }
      const text = (v: string | undefined) => (v === undefined || v === '' ? null : v);
      return withTransaction(db, async (tx) => {
        const beneficiary: Beneficiary = {
          id: newId('pben'),
          companyId: ctx.companyId,
          beneficiaryId: input.beneficiaryId,
          beneficiaryName: input.beneficiaryName!,
          accountNumber: 'accountNumber' in d ? d.accountNumber : null,
          ifsc: 'ifsc' in d ? d.ifsc : null,
          vpa: 'vpa' in d ? d.vpa : null,
          email: text(input.beneficiaryEmail),
          phone: text(input.beneficiaryPhone),
          address: text(input.beneficiaryAddress),
          city: text(input.beneficiaryCity),
          state: text(input.beneficiaryState),
          pincode: text(input.beneficiaryPincode),
          createdAt: await clocks.now(ctx.companyId, tx),
          deletedAt: null,
        };
        await repo.insertBeneficiary(tx, beneficiary);
        return { beneficiary, checksum };
      });
    },

    searchBeneficiaries: (companyId: string, filters: repo.BeneficiaryFilters, page: PageRequest) => repo.searchBeneficiaries(db, companyId, filters, page),

    /** Deletes a beneficiary: it can no longer be paid, and its beneficiaryId may be used again. Throws payout_beneficiary_not_found. */
    async deleteBeneficiary(companyId: string, beneficiaryId: string): Promise<Beneficiary> {
      return withTransaction(db, async (tx) => {
        const deleted = await repo.markBeneficiaryDeleted(tx, companyId, beneficiaryId, await clocks.now(companyId, tx));
        if (!deleted) throw new PayoutBeneficiaryNotFoundError(`No beneficiary ${beneficiaryId}`, { param: 'beneficiaryId' });
        return deleted;
      });
    },
  };
}
