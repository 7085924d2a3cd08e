import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

/**
 * The migrated PGlite template (ADR 0032). A new embedded data folder used to cost initdb, every
 * migration and pg-boss's schema: 15 to 30 seconds. `npm run build` makes that database once, in a
 * scratch folder, and keeps its data directory as dist/pglite-template-<key>.tgz; a start on a
 * new folder unpacks it (a fraction of a second) and its migration step then finds nothing to do.
 *
 * The key hashes everything the template's contents depend on: every file of migrations/ and the
 * pinned PGlite and pg-boss versions. A template of another key is never used: the start then
 * takes the slow path (initdb and every migration), which is always correct.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MIGRATIONS = path.join(ROOT, 'migrations');
const TEMPLATE_DIR = path.join(ROOT, 'dist');
const PREFIX = 'pglite-template-';

function filesUnder(dir: string, base = dir): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return [path.relative(base, full), ...filesUnder(full, base)];
      return entry.isFile() ? [path.relative(base, full)] : [];
    });
}

export function templateKey(): string {
  const hash = crypto.createHash('sha256');
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  hash.update(`pglite ${pkg.dependencies?.['@electric-sql/pglite']}\npg-boss ${pkg.dependencies?.['pg-boss']}\n`);
  for (const rel of filesUnder(MIGRATIONS)) {
    const full = path.join(MIGRATIONS, rel);
    hash.update(`${rel}\n`);
    if (fs.statSync(full).isFile()) hash.update(fs.readFileSync(full));
  }
  return hash.digest('hex').slice(0, 16);
}

export function templateFile(key = templateKey()): string {
  return path.join(TEMPLATE_DIR, `${PREFIX}${key}.tgz`);
}

/** The current template's file, or undefined when there is none (not built, or built for other migrations). */
export function currentTemplate(): string | undefined {
  try {
    const file = templateFile();
    return fs.existsSync(file) ? file : undefined;
  } catch {
    return undefined; // No migrations folder to hash: no template either.
  }
}

// A minimal ustar writer and reader (regular files and folders: what a PostgreSQL data directory holds).
const BLOCK = 512;

function header(name: string, mode: number, size: number, type: '0' | '5'): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`path too long for the template: ${name}`);
  const h = Buffer.alloc(BLOCK);
  const field = (offset: number, length: number, value: string) => h.write(value, offset, length, 'utf8');
  const octal = (offset: number, length: number, value: number) => field(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
  field(0, 100, name);
  octal(100, 8, mode & 0o7777);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, size);
  octal(136, 12, 0);
  field(148, 8, '        ');
  field(156, 1, type);
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  let sum = 0;
  for (const byte of h) sum += byte;
  field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
}

/** `dir` as a gzipped tar whose entries are named `<name>/...`. */
export function packDir(dir: string, name: string): Buffer {
  const parts: Buffer[] = [header(`${name}/`, 0o700, 0, '5')];
  for (const rel of filesUnder(dir)) {
    const full = path.join(dir, rel);
    const stat = fs.statSync(full);
    const entry = `${name}/${rel.split(path.sep).join('/')}`;
    if (stat.isDirectory()) {
      parts.push(header(`${entry}/`, stat.mode, 0, '5'));
    } else {
      const data = fs.readFileSync(full);
      parts.push(header(entry, stat.mode, data.length, '0'), data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return zlib.gzipSync(Buffer.concat(parts), { level: 6 });
}

/** Unpacks a packDir() archive into `target` (which must not exist), entry `<name>/x` as `target/x`. */
export function unpackInto(archive: Buffer, target: string): void {
  const tar = zlib.gunzipSync(archive);
  fs.mkdirSync(target, { mode: 0o700 });
  const text = (offset: number, length: number) => tar.toString('utf8', offset, offset + length).replace(/\0.*$/s, '');
  for (let offset = 0; offset + BLOCK <= tar.length;) {
    const name = text(offset, 100);
    if (name === '') break;
    const size = parseInt(text(offset + 124, 12).trim() || '0', 8);
    const mode = parseInt(text(offset + 100, 8).trim() || '600', 8);
    const type = text(offset + 156, 1);
    const rel = name.split('/').slice(1).filter(Boolean);
    if (rel.some((p) => p === '..' || p === '.')) throw new Error(`unsafe path in the template: ${name}`);
    const full = path.join(target, ...rel);
    offset += BLOCK;
    if (type === '5') {
      if (rel.length > 0) fs.mkdirSync(full, { recursive: true, mode });
    } else {
      fs.writeFileSync(full, tar.subarray(offset, offset + size), { mode });
      offset += Math.ceil(size / BLOCK) * BLOCK;
    }
  }
}

/**
 * Creates `<dataDir>/pglite` from the template when the folder has no database yet: unpacked
 * beside it and renamed into place, so that a start killed half-way leaves no half database.
 * 'exists' when the folder already has one (or another process made it first), 'no-template'
 * when there is no current template (the caller runs initdb and every migration instead).
 */
export function createFromTemplate(dataDir: string): 'created' | 'exists' | 'no-template' {
  const target = path.join(dataDir, 'pglite');
  if (fs.existsSync(target)) return 'exists';
  const file = currentTemplate();
  if (!file) return 'no-template';
  fs.mkdirSync(dataDir, { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  try {
    unpackInto(fs.readFileSync(file), partial);
    fs.renameSync(partial, target);
    return 'created';
  } catch (err) {
    fs.rmSync(partial, { recursive: true, force: true });
    if (fs.existsSync(target)) return 'exists';
    throw err;
  }
}

/**
 * Builds the current template unless it is there (`npm run build`, and `npm start` when it is
 * missing): a scratch folder gets every migration and the app's pg-boss queues, exactly as a first
 * start makes them, before any seed or data. Older templates are removed.
 */
export async function ensureTemplate(log: (line: string) => void = () => undefined): Promise<string> {
  const file = templateFile();
  if (fs.existsSync(file)) return file;
  log('building the migrated PGlite template for new data folders (once per change of migrations)…');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tijori-template-'));
  try {
    const [{ openDatabase }, { buildApp }, { loadConfig }, { systemClock }, { createLogger }] = await Promise.all([
      import('../core/db/engine.js'),
      import('../app.js'),
      import('../config.js'),
      import('../core/clock/clock.js'),
      import('../core/log/logger.js'),
    ]);
    const database = await openDatabase({ kind: 'pglite', dataDir: scratch });
    try {
      await database.migrate();
      const config = { ...loadConfig({ 'data-dir': scratch }, {}), logLevel: 'silent' as const, secretsKey: crypto.randomBytes(32).toString('hex') };
      const { app } = await buildApp({
        config,
        database,
        clock: systemClock,
        logger: createLogger('silent'),
        background: { workers: false, timerPollMs: null },
      });
      // ready: pg-boss creates its schema and the app's queues.
      await app.ready();
      await app.close();
    } finally {
      await database.close();
    }
    const partial = `${file}.partial-${process.pid}`;
    fs.mkdirSync(TEMPLATE_DIR, { recursive: true });
    fs.writeFileSync(partial, packDir(path.join(scratch, 'pglite'), 'pglite'));
    fs.renameSync(partial, file);
    for (const name of fs.readdirSync(TEMPLATE_DIR)) {
      if (name.startsWith(PREFIX) && path.join(TEMPLATE_DIR, name) !== file) fs.rmSync(path.join(TEMPLATE_DIR, name), { force: true });
    }
    return file;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

// `node dist/cli/pglite-template.js` (the build script's second step).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  ensureTemplate((line) => process.stdout.write(`tijori: ${line}\n`)).then(
    (file) =>
      process.stdout.write(`tijori: PGlite template ${path.relative(ROOT, file)} is current (${((performance.now() - started) / 1000).toFixed(1)} s)\n`),
    // Not fatal (npm install runs this): without a template a new folder takes the slow, correct path.
    (err: unknown) => {
      process.stderr.write(
        `tijori: warning: building the PGlite template failed; new data folders will be created by initdb and every migration (slower): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
    },
  );
}
