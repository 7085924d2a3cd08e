import { Type, type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

/**
 * The event catalogue: every event type Tijori can publish, with its payload schema and an
 * example. Names are EnKash's UPPER_SNAKE style (`PAYOUT_SUCCESS`, `UTILITY_BILLPAY_FAILED`,
 * reference §1.6), because the `events[]` of a webhook configuration takes these names. The
 * webhook body of an event is its payload, as is (EnKash bodies are flat, product-shaped JSON).
 * docs/events.md is generated from the catalogue (`npx tsx scripts/generate-events-doc.ts`).
 */
export interface EventDefinition<S extends TSchema = TSchema> {
  type: string;
  description: string;
  payload: S;
  example: Static<S>;
}

export const EVENT_TYPE_PATTERN = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

export function defineEvent<S extends TSchema>(definition: EventDefinition<S>): EventDefinition<S> {
  if (!EVENT_TYPE_PATTERN.test(definition.type)) throw new Error(`event type ${definition.type} must be UPPER_SNAKE`);
  return definition;
}

/** Sent by `POST /api/v0/webhook-data/test` (a Tijori extension) to check a receiver end to end. */
export const WEBHOOK_TEST = defineEvent({
  type: 'WEBHOOK_TEST',
  description: 'A test delivery requested through `POST /api/v0/webhook-data/test`; sent only to the chosen configuration.',
  payload: Type.Object(
    {
      event: Type.Literal('WEBHOOK_TEST', { description: 'The event type' }),
      webhookId: Type.String({ description: 'The configuration the test was sent to' }),
      message: Type.String({ description: 'Free text' }),
      createdOn: Type.String({ description: 'Sandbox time of the request, ISO 8601' }),
    },
    { additionalProperties: false },
  ),
  example: {
    event: 'WEBHOOK_TEST',
    webhookId: 'whe_01JDQ3Z6V0C8Q9Y4N6H2T5R7KX',
    message: 'Webhook test from Tijori',
    createdOn: '2026-11-27T09:00:00.000Z',
  },
});

/**
 * A receiver answered 410 Gone, so Tijori disabled that configuration (Standard Webhooks: 410
 * means "stop sending"). Sent to the company's other configurations that subscribe to it, so a
 * disabled endpoint is never silent (docs/webhooks.md).
 */
export const WEBHOOK_ENDPOINT_DISABLED = defineEvent({
  type: 'WEBHOOK_ENDPOINT_DISABLED',
  description: "A webhook configuration was disabled because its receiver answered 410 Gone; sent to the company's other configurations subscribed to it.",
  payload: Type.Object(
    {
      event: Type.Literal('WEBHOOK_ENDPOINT_DISABLED', { description: 'The event type' }),
      webhookId: Type.String({ description: 'The configuration that was disabled' }),
      webhookUrl: Type.String({ description: 'Its URL' }),
      reason: Type.String({ description: 'Why, with the event that got the 410' }),
      disabledOn: Type.String({ description: 'Sandbox time, ISO 8601' }),
    },
    { additionalProperties: false },
  ),
  example: {
    event: 'WEBHOOK_ENDPOINT_DISABLED',
    webhookId: 'whe_01JDQ3Z6V0C8Q9Y4N6H2T5R7KX',
    webhookUrl: 'https://example.com/enkash/webhooks',
    reason: 'The receiver answered 410 Gone to event evt_01JDQ40B3WMQ1W3DZ3A6A9T2XG at 2026-11-27T09:00:00.000Z',
    disabledOn: '2026-11-27T09:00:00.000Z',
  },
});

/** The core's own events; product areas add theirs to the list that app.ts passes to the service. */
export const CORE_EVENTS: EventDefinition[] = [WEBHOOK_TEST, WEBHOOK_ENDPOINT_DISABLED];

export class EventCatalogue {
  private readonly byType = new Map<string, { definition: EventDefinition; check: (value: unknown) => string | null }>();

  constructor(definitions: readonly EventDefinition[]) {
    for (const definition of definitions) {
      if (this.byType.has(definition.type)) throw new Error(`event type ${definition.type} is defined twice`);
      const validator = Compile(definition.payload);
      const check = (value: unknown): string | null => {
        if (validator.Check(value)) return null;
        const first = [...validator.Errors(value)].at(-1);
        return first ? `${first.instancePath || '/'} ${first.message}` : 'invalid payload';
      };
      const problem = check(definition.example);
      if (problem !== null) throw new Error(`the example of ${definition.type} does not match its schema: ${problem}`);
      this.byType.set(definition.type, { definition, check });
    }
  }

  has(type: string): boolean {
    return this.byType.has(type);
  }

  types(): string[] {
    return [...this.byType.keys()].sort();
  }

  definitions(): EventDefinition[] {
    return this.types().map((t) => this.byType.get(t)!.definition);
  }

  /** Why `payload` is not a valid payload of `type`, or null when it is. */
  problem(type: string, payload: unknown): string | null {
    const entry = this.byType.get(type);
    if (!entry) return `unknown event type ${type}`;
    return entry.check(payload);
  }
}

interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
}

function typeName(s: JsonSchema): string {
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  if (s.anyOf) return s.anyOf.map(typeName).join(' \\| ');
  if (s.type === 'array' && s.items) return `array of ${typeName(s.items)}`;
  return Array.isArray(s.type) ? s.type.join(' \\| ') : (s.type ?? 'any');
}

function fieldRows(schema: JsonSchema, prefix: string): string[] {
  const rows: string[] = [];
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    const required = (schema.required ?? []).includes(name) ? 'yes' : 'no';
    rows.push(`| \`${path}\` | ${typeName(field)} | ${required} | ${(field.description ?? '').replace(/\|/g, '\\|')} |`);
    if (field.properties) rows.push(...fieldRows(field, path));
    if (field.items?.properties) rows.push(...fieldRows(field.items, `${path}[]`));
  }
  return rows;
}

/** docs/events.md, generated. A test fails when the committed file differs. */
export function renderEventsDoc(definitions: readonly EventDefinition[]): string {
  const sorted = [...definitions].sort((a, b) => a.type.localeCompare(b.type));
  const out = [
    '<!-- Generated from src/core/events/catalogue.ts and the product event lists in src/app.ts. Do not edit: run `npx tsx scripts/generate-events-doc.ts`. -->',
    '',
    '# Events',
    '',
    'Every event Tijori publishes. A webhook configuration subscribes to events by these names',
    '(`events[]` of `POST /api/v0/webhook-data`). The body of a delivery is the payload below, as',
    'JSON; the headers (`webhook-id` = the event id, signatures, static headers) are described in',
    '[webhooks.md](webhooks.md).',
    '',
    '| type | description |',
    '|---|---|',
    ...sorted.map((d) => `| [\`${d.type}\`](#${d.type.toLowerCase()}) | ${d.description} |`),
    '',
  ];
  for (const d of sorted) {
    out.push(`## ${d.type}`, '', d.description, '', '| field | type | required | description |', '|---|---|---|---|');
    out.push(...fieldRows(d.payload as JsonSchema, ''));
    out.push('', 'Example:', '', '```json', JSON.stringify(d.example, null, 2), '```', '');
  }
  return out.join('\n');
}
