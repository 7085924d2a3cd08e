import { html, page, type SafeHtml } from './html.js';

/**
 * The simulated bank pages at `/pay/bank/{transactionId}` (the `redirectionUrl` of a payment that
 * needs the customer at the bank): card OTP (RuPay native OTP or the issuer's), the 3-D Secure
 * challenge, netbanking login and confirmation, wallet confirmation. Plain forms: they work
 * without JavaScript, and each is clearly labelled as Tijori's simulation.
 */

export interface BankPageContext {
  transactionId: string;
  /** Who "runs" the page: the issuer, the bank or the wallet provider. */
  institution: string;
  merchantName: string;
  /** `₹100.00` as shown to the customer (final amount, fees included). */
  amount: string;
  /** A message from the last step (wrong OTP, OTP sent again). */
  notice?: { kind: 'error' | 'info' | 'success'; text: string } | undefined;
  /** Fields every form posts back: the transaction's key, and the netbanking or wallet choice. */
  fields: Record<string, string>;
}

function hidden(ctx: BankPageContext): SafeHtml {
  return html`${Object.entries(ctx.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}`;
}

function banner(institution: string): SafeHtml {
  return html`<div class="bank-banner" role="note">Tijori sandbox — simulated bank<small>${institution} · no real bank is contacted and no money moves</small></div>`;
}

function frame(ctx: BankPageContext, title: string, content: SafeHtml): string {
  const body = html`<main class="shell narrow" id="main"><div class="panel">
<h1>${title}</h1>
<dl class="summary-lines"><dt class="muted">Merchant</dt><dd>${ctx.merchantName}</dd><dt class="muted">Amount</dt><dd id="bank-amount"><strong>${ctx.amount}</strong></dd><dt class="muted">Transaction</dt><dd class="mono">${ctx.transactionId}</dd></dl>
${ctx.notice ? html`<div class="alert ${ctx.notice.kind}" role="${ctx.notice.kind === 'error' ? 'alert' : 'status'}">${ctx.notice.text}</div>` : null}
${content}
</div></main>`;
  return page({ title: `${title} · ${ctx.institution} (Tijori sandbox)`, body, banner: banner(ctx.institution), scripts: ['bank.js'] });
}

const action = (ctx: BankPageContext, step: string) => `/pay/bank/${encodeURIComponent(ctx.transactionId)}/${step}`;

/** OTP entry with resend. `rupay`: RuPay's native OTP (PaySecure) rather than the issuer's ACS page. */
export function renderOtpPage(
  ctx: BankPageContext & { rupay: boolean; attemptsLeft: number | null; resendsLeft: number | null; maskedCard: string | null },
): string {
  const content = html`<p>${ctx.rupay ? 'RuPay PaySecure: enter' : 'Enter'} the one-time password sent to the mobile number registered with ${ctx.institution}${ctx.maskedCard ? html` for card <span class="mono">${ctx.maskedCard}</span>` : null}.</p>
<p class="hint">Sandbox: the OTP <code>123456</code> succeeds; any other fails.${ctx.attemptsLeft !== null ? ` Attempts left: ${ctx.attemptsLeft}.` : ''}</p>
<form method="post" action="${action(ctx, 'otp')}" class="otp">${hidden(ctx)}
<label for="otp">One-time password</label>
<input id="otp" name="otp" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required autofocus>
<div class="actions"><button type="submit">Submit OTP</button></div>
</form>
<form method="post" action="${action(ctx, 'otp/resend')}">${hidden(ctx)}
<div class="actions"><button type="submit" class="secondary"${ctx.resendsLeft === 0 ? html` disabled` : null}>Resend OTP</button>${ctx.resendsLeft !== null ? html`<span class="hint">${ctx.resendsLeft} resend${ctx.resendsLeft === 1 ? '' : 's'} left</span>` : null}</div>
</form>
${cancelForm(ctx)}`;
  return frame(ctx, ctx.rupay ? 'RuPay PaySecure' : 'Verify your payment', content);
}

/** The 3-D Secure challenge (the simulated ACS page): the tester decides the holder's answer. */
export function renderChallengePage(ctx: BankPageContext & { maskedCard: string | null }): string {
  const content = html`<p>3-D Secure authentication${ctx.maskedCard ? html` for card <span class="mono">${ctx.maskedCard}</span>` : null}. A real issuer would ask for a password, a biometric check or an app approval here.</p>
<form method="post" action="${action(ctx, 'challenge')}">${hidden(ctx)}
<div class="actions">
<button type="submit" name="result" value="pass" class="ok">Authenticate (pass)</button>
<button type="submit" name="result" value="fail" class="bad">Fail authentication</button>
</div>
</form>`;
  return frame(ctx, '3-D Secure challenge', content);
}

/** Netbanking, step 1: the bank's login form (any user id and password log in). */
export function renderNetbankingLogin(ctx: BankPageContext): string {
  const content = html`<p>Log in to ${ctx.institution} netbanking to pay ${ctx.merchantName}.</p>
<p class="hint">Sandbox: any user id and password log in; the bank code decides the outcome.</p>
<form method="post" action="${action(ctx, 'netbanking/login')}">${hidden(ctx)}
<label for="nb-user">User id</label>
<input id="nb-user" name="userId" type="text" autocomplete="username" required autofocus>
<label for="nb-password">Password</label>
<input id="nb-password" name="password" type="password" autocomplete="current-password" required>
<div class="actions"><button type="submit">Log in</button></div>
</form>
${cancelForm(ctx)}`;
  return frame(ctx, `${ctx.institution} netbanking`, content);
}

/** Netbanking, step 2, and wallets: confirm or cancel the debit. */
export function renderConfirmPage(ctx: BankPageContext & { kind: 'netbanking' | 'wallet' }): string {
  const content = html`<p>${ctx.kind === 'netbanking' ? html`Debit ${ctx.amount} from your ${ctx.institution} account to pay ${ctx.merchantName}?` : html`Pay ${ctx.amount} from your ${ctx.institution} balance to ${ctx.merchantName}?`}</p>
<form method="post" action="${action(ctx, 'confirm')}">${hidden(ctx)}
<div class="actions"><button type="submit" name="decision" value="confirm" class="ok">Confirm payment</button>
<button type="submit" name="decision" value="cancel" class="secondary">Cancel</button></div>
</form>`;
  return frame(ctx, ctx.kind === 'netbanking' ? `${ctx.institution} netbanking` : ctx.institution, content);
}

/** The bank's own "cancel and return to the merchant" link, on pages where the customer can give up. */
function cancelForm(ctx: BankPageContext): SafeHtml {
  return html`<form method="post" action="${action(ctx, 'confirm')}">${hidden(ctx)}<div class="actions"><button type="submit" name="decision" value="cancel" class="secondary">Cancel and return to ${ctx.merchantName}</button></div></form>`;
}

/** The page of a payment the bank is still processing (a slow bank): it refreshes itself. */
export function renderBankWaiting(ctx: BankPageContext): string {
  const content = html`<div class="alert info waiting" role="status"><span class="spinner" aria-hidden="true"></span><span>${ctx.institution} is processing the payment. This page checks again every few seconds.</span></div>
<noscript><p><a href="${`/pay/bank/${encodeURIComponent(ctx.transactionId)}?${new URLSearchParams(ctx.fields).toString()}`}">Check again</a></p></noscript>
<p class="hint">Sandbox: a slow bank's answer arrives when the company's sandbox clock reaches it.</p>
<meta http-equiv="refresh" content="5">`;
  return frame(ctx, 'Payment in progress', content);
}
