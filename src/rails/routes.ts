import type { FastifyInstance } from 'fastify';
import { envelope } from '../core/http/envelope.js';
import type { SandboxTestData } from './registry.js';
import { testDataResponseSchema } from './schemas.js';

/** `GET /api/v0/sandbox/test-data` (Tijori extension): every magic value and scenario of the simulated rails. */
export function registerSandboxTestDataRoute(api: FastifyInstance, testData: () => SandboxTestData): void {
  api.get(
    '/v0/sandbox/test-data',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['Sandbox'],
        operationId: 'sandbox.testData',
        summary: 'Test data and scenarios of the simulated rails (Tijori extension)',
        description:
          "Every documented value that decides a simulated rail's outcome (test cards, OTP, VPAs, bank and wallet codes, beneficiary accounts, " +
          'IFSC, PAN and GSTIN fixtures), the scenarios a request can name in the `X-Tijori-Scenario` header, and the precedence between them. ' +
          'The same data as docs/sandbox.md.',
        security: [{ bearer: [] }],
        response: { 200: testDataResponseSchema },
      },
    },
    async () => envelope(testData()),
  );
}
