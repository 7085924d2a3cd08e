/** /assets/tijori.css: the one stylesheet of every page (landing, hosted checkout and receipt, bank pages, test data, outbox). */
export const STYLES_CSS = `
:root {
  --ink: #1c2333; --muted: #5b6475; --line: #d9dee8; --bg: #f4f6fa; --card: #fff;
  --brand: #1f5eff; --brand-ink: #fff; --ok: #0f7b3f; --bad: #b42318; --warn: #8a5a00;
  --radius: 10px; --focus: 0 0 0 3px rgba(31, 94, 255, .35);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  color: var(--ink); background: var(--bg); line-height: 1.45;
}
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; }
a { color: var(--brand); }
h1, h2, h3 { line-height: 1.2; margin: 0 0 .5rem; }
h1 { font-size: 1.35rem; } h2 { font-size: 1.1rem; } h3 { font-size: 1rem; }
p { margin: .25rem 0 .75rem; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.sandbox-ribbon { background: #fff4d6; color: var(--warn); text-align: center; font-size: .85rem; padding: .35rem 1rem; border-bottom: 1px solid #f0dca0; }
.bank-banner { background: #14213d; color: #fff; padding: .75rem 1rem; text-align: center; font-weight: 600; letter-spacing: .01em; }
.bank-banner small { display: block; font-weight: 400; opacity: .85; }

.shell { max-width: 960px; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
.shell-wide { max-width: 1200px; }
.narrow { max-width: 480px; }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius); padding: 1.25rem; margin-bottom: 1rem; }

.checkout { display: grid; gap: 1rem; grid-template-columns: 280px minmax(0, 1fr); align-items: start; }
@media (max-width: 760px) { .checkout { grid-template-columns: 1fr; } }
.summary dl { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: .35rem .75rem; font-size: .92rem; }
.summary dt { color: var(--muted); } .summary dd { margin: 0; text-align: right; word-break: break-all; }
.summary .total { font-size: 1.6rem; font-weight: 700; margin: .25rem 0 .75rem; }
.merchant { display: flex; align-items: center; gap: .6rem; margin-bottom: .75rem; }
.merchant .logo { width: 40px; height: 40px; border-radius: 8px; background: var(--brand); color: var(--brand-ink); display: grid; place-items: center; font-weight: 700; }
.contact { margin-bottom: 1rem; }
.summary-lines { display: grid; grid-template-columns: auto 1fr; gap: .3rem .75rem; margin: 0 0 1rem; }
.summary-lines dd { margin: 0; }
.timer { font-variant-numeric: tabular-nums; color: var(--muted); font-size: .9rem; }

.modes { display: flex; flex-wrap: wrap; gap: .4rem; margin-bottom: 1rem; border-bottom: 1px solid var(--line); padding-bottom: .75rem; }
.modes [role="tab"] { border: 1px solid var(--line); background: var(--card); color: var(--ink); border-radius: 999px; padding: .45rem .9rem; font: inherit; cursor: pointer; }
.modes [role="tab"][aria-selected="true"] { background: var(--brand); border-color: var(--brand); color: var(--brand-ink); }
[role="tabpanel"][hidden] { display: none; }

label { display: block; font-weight: 600; font-size: .9rem; margin: .6rem 0 .25rem; }
.hint { color: var(--muted); font-size: .85rem; font-weight: 400; }
input[type="text"], input[type="email"], input[type="tel"], input[type="password"], select {
  width: 100%; font: inherit; padding: .6rem .7rem; border: 1px solid #b9c1cf; border-radius: 8px; background: #fff; color: var(--ink);
}
input[aria-invalid="true"] { border-color: var(--bad); }
.row { display: grid; grid-template-columns: 1fr 1fr; gap: .75rem; }
fieldset { border: 0; padding: 0; margin: 0; }
legend { font-weight: 600; font-size: .9rem; margin-bottom: .35rem; padding: 0; }
.choices { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: .5rem; }
.choice { display: flex; align-items: center; gap: .5rem; border: 1px solid var(--line); border-radius: 8px; padding: .55rem .7rem; font-weight: 400; margin: 0; cursor: pointer; }
.choice:has(input:checked) { border-color: var(--brand); background: #eef3ff; }

button, .button { display: inline-block; font: inherit; font-weight: 600; border-radius: 8px; padding: .65rem 1.1rem; border: 1px solid var(--brand); background: var(--brand); color: var(--brand-ink); cursor: pointer; text-decoration: none; text-align: center; }
button.secondary, .button.secondary { background: var(--card); color: var(--brand); }
button.danger { background: var(--card); color: var(--bad); border-color: #e4b4ae; }
button.ok { background: var(--ok); border-color: var(--ok); }
button.bad { background: var(--bad); border-color: var(--bad); }
button[disabled] { opacity: .55; cursor: progress; }
.actions { display: flex; flex-wrap: wrap; gap: .6rem; margin-top: 1rem; align-items: center; }
.wide { width: 100%; }
:focus-visible { outline: none; box-shadow: var(--focus); }

.alert { border-radius: 8px; padding: .6rem .8rem; margin: .5rem 0; font-size: .92rem; }
.alert.error { background: #fdecea; color: var(--bad); border: 1px solid #f3c2bc; }
.alert.info { background: #eef3ff; color: #17368f; border: 1px solid #c9d6ff; }
.alert.success { background: #e8f6ee; color: var(--ok); border: 1px solid #b8e0c8; }
.alert:empty { display: none; }

.upi-grid { display: grid; grid-template-columns: 200px minmax(0, 1fr); gap: 1.25rem; align-items: start; }
#upi-qr-link { overflow-wrap: anywhere; max-width: 200px; }
@media (max-width: 560px) { #upi-qr-link { max-width: none; } }
.sandbox-panel { border: 2px dashed #e0b84c; background: #fffaeb; border-radius: 8px; padding: .75rem .9rem; margin-top: 1rem; }
.sandbox-panel h3 { display: flex; align-items: center; gap: .5rem; }
.sandbox-tag { background: #8a5a00; color: #fff; border-radius: 4px; font-size: .72rem; font-weight: 700; letter-spacing: .04em; text-transform: uppercase; padding: .1rem .4rem; }
@media (max-width: 560px) { .upi-grid { grid-template-columns: 1fr; } }
.qr { width: 200px; height: 200px; border: 1px solid var(--line); border-radius: 8px; background: #fff; display: grid; place-items: center; }
.qr img { width: 184px; height: 184px; image-rendering: pixelated; }
.intents { display: flex; flex-wrap: wrap; gap: .4rem; margin: .5rem 0 1rem; }
.intents a { font-size: .9rem; padding: .4rem .7rem; }
.waiting { display: flex; align-items: center; gap: .6rem; }
.spinner { width: 18px; height: 18px; border: 3px solid #c9d6ff; border-top-color: var(--brand); border-radius: 50%; animation: spin 1s linear infinite; }
@keyframes spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .spinner { animation: none; } }

.otp input { letter-spacing: .4em; font-size: 1.3rem; text-align: center; max-width: 14rem; }
.muted { color: var(--muted); }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }

table { width: 100%; border-collapse: collapse; font-size: .9rem; margin: .5rem 0 1.25rem; background: var(--card); }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: break-word; }
/* Long unbroken values (ids, addresses, URLs in a message) may break anywhere, so a table never outgrows the page. */
td.mono, td code, td.notice-body { overflow-wrap: anywhere; }
td.nowrap { white-space: nowrap; }
/* A table of class "stack" becomes one card per row on a phone: each cell under its column's name (data-label). */
@media (max-width: 640px) {
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
  table.stack tr { border-bottom: 1px solid var(--line); padding: .35rem 0; }
  table.stack td { border: 0; padding: .2rem .6rem; }
  table.stack td[data-label]::before { content: attr(data-label); display: block; font-size: .75rem; font-weight: 600; color: var(--muted); }
}
th { background: #eef1f6; font-weight: 600; }
td code, li code, p code { background: #eef1f6; padding: .05rem .3rem; border-radius: 4px; font-size: .88em; }
nav.toc ul { columns: 2; padding-left: 1.1rem; margin: 0; }
@media (max-width: 560px) { nav.toc ul { columns: 1; } .row { grid-template-columns: 1fr; } }

.receipt-head { display: flex; gap: .8rem; align-items: center; margin-bottom: .5rem; }
.receipt-icon { flex: none; width: 44px; height: 44px; border-radius: 50%; display: grid; place-items: center; font-size: 1.4rem; font-weight: 700; color: #fff; }
.receipt-head.ok .receipt-icon { background: var(--ok); }
.receipt-head.bad .receipt-icon { background: var(--bad); }
.receipt-head p { margin: 0; }
.receipt-lines { display: grid; grid-template-columns: auto minmax(0, 1fr); gap: .4rem 1rem; margin: 0 0 1rem; font-size: .92rem; }
.receipt-lines dt { color: var(--muted); }
.receipt-lines dd { margin: 0; text-align: right; overflow-wrap: anywhere; }

.hero { padding: 1.5rem 0 .5rem; }
.hero h1 { font-size: 1.8rem; }
.hero p { max-width: 46rem; color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 1rem; margin: 1rem 0; }
.cards .panel { margin: 0; }
.cards h2 a { text-decoration: none; }
dl.pairs { display: grid; grid-template-columns: auto minmax(0, 1fr); gap: .3rem .8rem; margin: .5rem 0; font-size: .9rem; }
dl.pairs dt { color: var(--muted); } dl.pairs dd { margin: 0; overflow-wrap: anywhere; }
.inline-form { display: flex; flex-wrap: wrap; gap: .6rem; align-items: end; }
.inline-form > div { flex: 1 1 10rem; }
.inline-form label { margin-top: 0; }
ul.plain { padding-left: 1.1rem; margin: .25rem 0; }
`;
