import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, type InProcessServer } from '../support/cli.js';
import { cleanup, ROOT, tempDir } from '../support/process.js';
import { runCurlScript } from './seed-curl.js';

// Every `curl` of README.md and docs/ (issue 16, item 11): each fenced sh/bash block holding one,
// run by /bin/sh (POSIX: dash on Debian) with the real curl against a started server, in the
// order of its page, with only the base URL changed. The pages of docs/api/ use the variables set
// by the first block of docs/api/conventions.md ("The examples"), which runs before each of them.
// A curl that answers an HTTP error (--fail-with-body) or cannot connect fails the page.

const SLOW = 300_000;
const BASE = 'http://127.0.0.1:8080';
const CONVENTIONS = 'docs/api/conventions.md';

interface Block {
  file: string;
  line: number;
  text: string;
}

/** The fenced ```sh and ```bash blocks of a Markdown file. */
function shellBlocks(file: string): Block[] {
  const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const blocks: Block[] = [];
  let open: Block | undefined;
  lines.forEach((line, i) => {
    if (open) {
      if (line.startsWith('```')) {
        blocks.push(open);
        open = undefined;
      } else open.text += `${line}\n`;
    } else if (/^```(sh|bash)\s*$/.test(line)) open = { file, line: i + 1, text: '' };
  });
  return blocks;
}

function markdownFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? markdownFiles(`${dir}/${e.name}`) : e.name.endsWith('.md') ? [`${dir}/${e.name}`] : []))
    .sort();
}

/** The blocks that call the API (others start servers, run tests or the `tijori` command: not run here). */
const curlBlocks = (file: string) => shellBlocks(file).filter((b) => /(^|\s|\()curl\s/m.test(b.text));
const PAGES = ['README.md', ...markdownFiles('docs')].filter((file) => curlBlocks(file).length > 0);

/**
 * Runs the blocks in one /bin/sh, each after a marker line, with a `curl` that records every
 * failing call (a function: the examples' own command lines are unchanged).
 */
async function runBlocks(blocks: Block[], origin: string): Promise<{ code: number | null; out: string; failures: string[] }> {
  const dir = tempDir('tijori-doc-');
  const failed = path.join(dir, 'failed');
  fs.writeFileSync(failed, '');
  const script = [
    // The failure names the URL and exit code only: the headers hold tokens.
    `curl() { command curl -sS --fail-with-body --max-time 60 "$@" || { s=$?; for a; do case $a in http*) u=$a;; esac; done; echo "curl $u (exit $s)" >> '${failed}'; return 1; }; }`,
    ...blocks.map((b) => `echo '=== ${b.file}:${b.line}'\n${b.text.replaceAll(BASE, origin)}\necho`),
  ].join('\n');
  const { code, stdout, stderr } = await runCurlScript(script, {}, dir);
  const out = `${stdout}\n${stderr}`;
  return { code, out, failures: fs.readFileSync(failed, 'utf8').split('\n').filter(Boolean) };
}

describe('the curl examples of README.md and docs/ against a started server', { timeout: SLOW }, () => {
  let server: InProcessServer;
  beforeAll(async () => {
    server = await startInProcess({ dataDir: tempDir() });
  }, SLOW);
  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
    await cleanup();
  }, SLOW);

  it('finds the pages with examples', () => {
    expect(PAGES).toEqual(expect.arrayContaining(['README.md', CONVENTIONS, 'docs/api/gateway-links.md', 'docs/api/gateway-payments.md']));
    expect(PAGES.length).toBeGreaterThanOrEqual(9);
  });

  it.each(PAGES)('%s: every block runs and every curl succeeds', async (file) => {
    const setup = file.startsWith('docs/api/') && file !== CONVENTIONS ? curlBlocks(CONVENTIONS).slice(0, 1) : [];
    const { code, out, failures } = await runBlocks([...setup, ...curlBlocks(file)], server.url);
    expect(failures, out).toEqual([]);
    expect(code, out).toBe(0);
    // No placeholder left unfilled: an id captured by sed that did not match would be the whole answer.
    expect(out).not.toMatch(/curl: \(3\)|Could not resolve host/);
  });

  it('README: the order example pasted twice makes two paid orders; the payout balance starts funded and add-funds adds to it', async () => {
    const readme = curlBlocks('README.md');
    const order = readme.find((b) => b.text.includes('/api/v0/orders'))!;
    const payouts = readme.find((b) => b.text.includes('payout-account/balance'))!;
    const { out, failures, code } = await runBlocks([order, order, payouts], server.url);
    expect([failures, code], out).toEqual([[], 0]);
    const orders = [...out.matchAll(/^(ORD\w+)\s*$/gm)].map((m) => m[1]);
    expect(orders, out).toHaveLength(2);
    expect(new Set(orders).size).toBe(2);
    expect(out.match(/"transactionStatus":"SUCCESS"/g), out).toHaveLength(2);
    expect(out.match(/"orderStatus":"PAID"/g)?.length, out).toBeGreaterThanOrEqual(4);
    // The README run before this one added ₹25,000: the balance was seeded once, not per start.
    expect(out).toMatch(/"balance":10[0-9]{5}\b/);
    expect(out).toMatch(/"status":"CREDITED"/);
  });
});
