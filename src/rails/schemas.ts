import { Type } from 'typebox';
import { envelopeSchema } from '../core/http/envelope.js';

const magicValue = Type.Object({
  kind: Type.String({ description: 'What the value is: card number, otp, vpa, bank code, wallet code, account number, ifsc, pan, gstin' }),
  value: Type.String(),
  operation: Type.String({ description: 'The rail operation it applies to' }),
  outcome: Type.String({ description: 'What the simulator does with it, e.g. `pending, then succeeded after PT10M`' }),
  description: Type.String(),
});

const railTestData = Type.Object({
  rail: Type.String(),
  title: Type.String(),
  summary: Type.String(),
  scenarios: Type.Array(Type.String(), { description: 'Scenarios this rail accepts' }),
  defaultOutcome: Type.String(),
  rules: Type.Array(Type.String()),
  magicValues: Type.Array(magicValue),
});

const productTestData = Type.Object({
  product: Type.String({ description: 'The product operation documented, e.g. gateway_refunds' }),
  title: Type.String(),
  summary: Type.String(),
  scenarios: Type.Array(Type.String(), { description: 'Scenarios this operation accepts' }),
  defaultOutcome: Type.String(),
  rules: Type.Array(Type.String()),
  magicValues: Type.Array(magicValue),
});

export const testDataResponseSchema = envelopeSchema(
  Type.Object({
    scenarioHeader: Type.String({ examples: ['X-Tijori-Scenario'] }),
    precedence: Type.Array(Type.String()),
    scenarios: Type.Array(Type.Object({ name: Type.String(), syntax: Type.String(), meaning: Type.String() })),
    rails: Type.Array(railTestData),
    products: Type.Array(productTestData, {
      description: "Outcomes of products' own operations beside the rails: gateway refunds (delay per rail, failing scenarios)",
    }),
  }),
);
