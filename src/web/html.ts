/**
 * Server-rendered HTML for Tijori's own pages (hosted checkout, simulated bank pages, sandbox
 * test data). No template engine: a tagged template that escapes every interpolated value unless
 * it is already `SafeHtml`, so a merchant name or an order description can never inject markup.
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

type Interpolation = SafeHtml | string | number | bigint | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** `html\`<p>${name}</p>\``: interpolations are escaped; arrays are joined; null, undefined and false render nothing. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/**
 * A JSON value embedded in a `<script type="application/json">` element: `<` is escaped so that
 * no string inside can close the element.
 */
export function jsonScript(id: string, value: unknown): SafeHtml {
  const json = JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return new SafeHtml(`<script type="application/json" id="${escapeHtml(id)}">${json}</script>`);
}

export interface PageOptions {
  title: string;
  body: SafeHtml;
  /** Script names under /assets/ loaded at the end of the body. */
  scripts?: string[];
  /** A banner naming the page as simulated (the bank pages). */
  banner?: SafeHtml;
}

/** The document around every page: one stylesheet and scripts from /assets, nothing from any other host. */
export function page(options: PageOptions): string {
  return (
    '<!doctype html>\n' +
    html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="no-referrer">
<title>${options.title}</title>
<link rel="icon" href="/favicon.ico">
<link rel="stylesheet" href="/assets/tijori.css">
</head>
<body>
${options.banner}
${options.body}
${(options.scripts ?? []).map((name) => html`<script src="/assets/${name}" defer></script>`)}
</body>
</html>
`.value
  );
}

/**
 * Headers of every HTML page: the page may load only its own scripts, styles and images (data:
 * URLs for the QR code) and may not be framed. No `form-action`: the bank pages' forms end in a
 * redirect to the merchant's `returnUrl`, another origin, which Chromium checks against it.
 */
export const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'",
};
