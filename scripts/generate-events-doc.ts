// Writes docs/events.md from the event catalogue. Run: npx tsx scripts/generate-events-doc.ts
import fs from 'node:fs';
import { EVENT_DEFINITIONS } from '../src/app.js';
import { renderEventsDoc } from '../src/core/events/catalogue.js';

fs.writeFileSync(new URL('../docs/events.md', import.meta.url), renderEventsDoc(EVENT_DEFINITIONS));
process.stdout.write(`docs/events.md: ${EVENT_DEFINITIONS.length} event types\n`);
