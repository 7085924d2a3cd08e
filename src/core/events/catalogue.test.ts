import fs from 'node:fs';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { EVENT_DEFINITIONS } from '../../app.js';
import { CORE_EVENTS, EventCatalogue, defineEvent, renderEventsDoc } from './catalogue.js';

describe('event catalogue', () => {
  it('checks payloads against the schema and names the failing field', () => {
    const catalogue = new EventCatalogue(CORE_EVENTS);
    expect(catalogue.types()).toContain('WEBHOOK_TEST');
    expect(catalogue.problem('WEBHOOK_TEST', { event: 'WEBHOOK_TEST', webhookId: 'whe_1', message: 'm', createdOn: 'x' })).toBeNull();
    expect(catalogue.problem('WEBHOOK_TEST', { event: 'WEBHOOK_TEST', webhookId: 1, message: 'm', createdOn: 'x' })).toContain('/webhookId');
    expect(catalogue.problem('NOPE', {})).toBe('unknown event type NOPE');
  });

  it('refuses lower-case names, duplicates and examples that do not match', () => {
    expect(() => defineEvent({ type: 'payout.success', description: '', payload: Type.Object({}), example: {} })).toThrow(/UPPER_SNAKE/);
    expect(() => new EventCatalogue([...CORE_EVENTS, ...CORE_EVENTS])).toThrow(/twice/);
    const bad = { type: 'BAD_EXAMPLE', description: '', payload: Type.Object({ a: Type.String() }), example: { a: 1 } as unknown as { a: string } };
    expect(() => new EventCatalogue([bad])).toThrow(/example/);
  });

  it('docs/events.md is generated from the catalogue (run `npx tsx scripts/generate-events-doc.ts` when this fails)', () => {
    const committed = fs.readFileSync('docs/events.md', 'utf8');
    expect(committed, 'docs/events.md is stale: run `npx tsx scripts/generate-events-doc.ts`').toBe(renderEventsDoc(EVENT_DEFINITIONS));
    expect(committed).toContain('## WEBHOOK_TEST');
  });
});
