// Puts the table of bench/results/latest.json (the last `npm run bench`) into docs/performance.md,
// between its `<!-- bench:table -->` markers. Run: npx tsx scripts/generate-performance-table.ts
import fs from 'node:fs';
import { figuresMarkdown, type BenchFigure } from '../bench/lib/report.js';

const latest = JSON.parse(fs.readFileSync(new URL('../bench/results/latest.json', import.meta.url), 'utf8')) as {
  startedAt: string;
  command: string;
  quick: boolean;
  durationSeconds: number;
  failedSuites: string[];
  figures: BenchFigure[];
  machine: { cpus: number; cpuModel: string | null; memoryBytes: number; node: string; postgres: string | null; platform: string; loadavgAtEnd: number[] };
};
const m = latest.machine;
const block = [
  '<!-- bench:table (generated from bench/results/latest.json by scripts/generate-performance-table.ts) -->',
  `\`${latest.command}\`, started ${latest.startedAt}, ${latest.durationSeconds} s timed runs${latest.quick ? ' (--quick: a smoke run, not a measurement)' : ''}` +
    `${latest.failedSuites.length > 0 ? `; suites that could not run: ${latest.failedSuites.join(', ')}` : ''}. ` +
    `Machine: ${m.cpus} × ${m.cpuModel ?? 'unknown CPU'}, ${(m.memoryBytes / 1024 ** 3).toFixed(1)} GiB RAM, ${m.platform}, Node ${m.node}, PostgreSQL ${m.postgres ?? 'unknown'}; ` +
    `load average at the end ${m.loadavgAtEnd.map((x) => x.toFixed(1)).join(' / ')}.`,
  '',
  figuresMarkdown(latest.figures),
  '<!-- /bench:table -->',
].join('\n');

const file = new URL('../docs/performance.md', import.meta.url);
const doc = fs.readFileSync(file, 'utf8');
const at = doc.indexOf('<!-- bench:table');
const end = doc.indexOf('<!-- /bench:table -->');
if (at < 0 || end < 0) throw new Error('docs/performance.md has no <!-- bench:table --> … <!-- /bench:table --> markers');
fs.writeFileSync(file, doc.slice(0, at) + block + doc.slice(end + '<!-- /bench:table -->'.length));
process.stdout.write(`docs/performance.md: ${latest.figures.length} figures from ${latest.startedAt}\n`);
