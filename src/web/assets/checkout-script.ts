/**
 * /assets/checkout.js: the hosted checkout's behaviour, in plain ES2017 for any browser (no
 * framework, no build step, nothing from another host). It reads the order detail the server
 * embedded in the page (the same JSON as `GET /pay/checkout/{orderId}`) and talks only to the
 * checkout's JSON endpoints (reference §2.4). Written without template literals so that it can
 * live in this TypeScript string.
 */
export const CHECKOUT_JS = String.raw`(function () {
  'use strict';
  var dataEl = document.getElementById('checkout-data');
  if (!dataEl) return;
  var d = JSON.parse(dataEl.textContent);
  var txn = encodeURIComponent(d.transactionId);
  // Every call but the page presents the transaction's publicIdentifierKey (docs/api/gateway-checkout.md).
  var keyQuery = '?publicIdentifierKey=' + encodeURIComponent(d.publicIdentifierKey);
  var returnPath = '/pay/checkout/return/' + txn + keyQuery;
  var busy = false;
  var pollTimer = null;

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  function say(el, text, kind) {
    if (!el) return;
    el.className = 'alert ' + (kind || 'error');
    el.textContent = text || '';
    if (text) el.focus();
  }

  /** Calls a JSON endpoint; resolves to { ok, status, body } (the EnKash envelope or a bare body). */
  function call(method, url, body) {
    var init = { method: method, headers: { accept: 'application/json' }, credentials: 'same-origin' };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(url, init).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (json) { return { ok: res.ok, status: res.status, body: json }; });
    });
  }

  function errorText(res) {
    var b = res.body || {};
    return b.response_message || b.resultMessage || b.message || 'Something went wrong (HTTP ' + res.status + '). Please try again.';
  }

  function payload(res) { return res.body && res.body.payload !== undefined ? res.body.payload : res.body; }

  function finish() {
    busy = true;
    if (pollTimer) clearTimeout(pollTimer);
    window.location.assign(returnPath);
  }

  function setBusy(form, on) {
    busy = on;
    $all('button', form).forEach(function (b) { b.disabled = on; });
  }

  // ---- fees: the surcharge keys of reference §2.4 (SC_|CF_|PF_ + mode + _DEFAULT|code) -----------
  var FEE_MODE = { CREDIT_CARD: 'CC', DEBIT_CARD: 'DC', PREPAID_CARD: 'PC', CORPORATE_CARD: 'BC', NET_BANKING: 'NB', UPI: 'UP', WALLET: 'WA', PAY_LATER: 'WA' };
  // Integer paise, as the server's quoteFees (payments/model.ts): rupees have at most two decimals
  // on the wire, so toFixed(2) gives their exact digits; every sum and the GST are on whole paise.
  function toPaise(rupees) { return parseInt(Number(rupees).toFixed(2).replace('.', ''), 10); }
  function rupees(paise) { return (paise / 100).toFixed(2); }
  function display(paise) { return (paise / 100).toLocaleString('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }); }
  function fees(mode, code) {
    var s = d.surcharges || {};
    var total = 0;
    ['SC', 'CF', 'PF'].forEach(function (kind) {
      var prefix = kind + '_' + FEE_MODE[mode] + '_';
      var v = code && s[prefix + code.toUpperCase()] !== undefined ? s[prefix + code.toUpperCase()] : s[prefix + 'DEFAULT'];
      if (v !== undefined) total += toPaise(v);
    });
    // GST: the percent in basis points, times the fees, over 10 000, rounded half up (exact below 2^53).
    var gstBasisPoints = Math.round((d.surchargeGst || 0) * 100);
    var gst = Math.floor((total * gstBasisPoints + 5000) / 10000);
    return { fees: total, gst: gst };
  }
  function showFees(mode, code) {
    var f = fees(mode, code);
    var el = $('#fees');
    var total = toPaise(d.amount) + f.fees + f.gst;
    if (el) el.textContent = f.fees > 0 ? '₹' + display(f.fees) + ' + GST ₹' + display(f.gst) : 'None';
    $all('[data-pay-total]').forEach(function (b) { b.textContent = 'Pay ₹' + display(total); });
    return f;
  }

  // ---- tabs (WAI-ARIA tabs pattern: arrow keys move between modes) -------------------------------
  var tabs = $all('[role="tab"]');
  function select(tab) {
    tabs.forEach(function (t) {
      var on = t === tab;
      t.setAttribute('aria-selected', on ? 'true' : 'false');
      t.tabIndex = on ? 0 : -1;
      var panel = document.getElementById(t.getAttribute('aria-controls'));
      if (panel) panel.hidden = !on;
    });
    var mode = tab.getAttribute('data-mode');
    showFees(mode === 'CARD' ? cardMode() : mode, null);
  }
  tabs.forEach(function (tab, i) {
    tab.addEventListener('click', function () { select(tab); });
    tab.addEventListener('keydown', function (e) {
      var next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : null;
      if (next === null) return;
      e.preventDefault();
      var target = tabs[(next + tabs.length) % tabs.length];
      target.focus();
      select(target);
    });
  });
  if (tabs.length > 0) select(tabs[0]);

  // ---- contact details (PATCH /pay/checkout/customer-info/{transactionId}) ---------------------
  var EMAIL = /^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,4}$/;
  var MOBILE = /^[6-9]\d{9}$/;
  var savedContact = null;
  function saveContact() {
    var email = $('#customer-email');
    var mobile = $('#customer-mobile');
    if (!email || !mobile) return Promise.resolve(true);
    var err = $('#contact-error');
    var bad = null;
    email.removeAttribute('aria-invalid');
    mobile.removeAttribute('aria-invalid');
    if (email.value && !EMAIL.test(email.value)) bad = email;
    if (!bad && mobile.value && !MOBILE.test(mobile.value)) bad = mobile;
    if (bad) {
      bad.setAttribute('aria-invalid', 'true');
      say(err, bad === email ? 'Enter a valid email address.' : 'Enter a valid 10-digit mobile number.');
      bad.focus();
      return Promise.resolve(false);
    }
    say(err, '');
    var key = email.value + '|' + mobile.value;
    if ((!email.value && !mobile.value) || key === savedContact) return Promise.resolve(true);
    return call('PATCH', '/pay/checkout/customer-info/' + txn + keyQuery, { customerEmail: email.value || null, customerMobile: mobile.value || null, merchantAccessKey: d.merchantAccessKey }).then(function (res) {
      if (!res.ok) { say(err, errorText(res)); return false; }
      savedContact = key;
      return true;
    });
  }

  // ---- paying (POST /pay/charge/process) ----------------------------------------------------
  function afterCharge(res, errEl, form) {
    var p = payload(res) || {};
    // 156/158: the detail was refused (HTTP 200, as the SDK reads it; ADR 0037): fix and send again.
    if (!res.ok || p.resultCode === 156 || p.resultCode === 158) { setBusy(form, false); say(errEl, errorText(res)); return; }
    if (p.redirectionUrl) { window.location.assign(p.redirectionUrl); return; }
    var status = p.transactionStatus || p.status;
    if (status === 'SUCCESS' || status === 'FAILED' || status === 'CANCELLED') { finish(); return; }
    if (p.ekPayId) { waitForUpi(p.ekPayId); return; }
    setBusy(form, false);
    say(errEl, p.resultMessage || 'The payment is pending with the bank.', 'info');
    pollMinimal();
  }

  function charge(form, errEl, paymentDetail) {
    if (busy) return;
    setBusy(form, true);
    say(errEl, '');
    saveContact().then(function (ok) {
      if (!ok) { setBusy(form, false); return; }
      var f = fees(paymentDetail.paymentMode, paymentDetail.bankCode || null);
      return call('POST', d.checkoutProcessURL, {
        uniqueTransactionId: d.uniqueTransactionId,
        publicIdentifierKey: d.publicIdentifierKey,
        transactionId: d.transactionId,
        paymentDetail: paymentDetail,
        surcharge: rupees(f.fees),
        surchargeGst: d.surchargeGst,
        popupMode: false
      }).then(function (res) { afterCharge(res, errEl, form); });
    }).catch(function () { setBusy(form, false); say(errEl, 'Could not reach the server. Check your connection and try again.'); });
  }

  // Cards: the mode follows the BIN (GET /api/v0/bin/details); numbers are sent base64 as the SDK does.
  var binInfo = null;
  var lastBin = '';
  function digits(v) { return (v || '').replace(/\D/g, ''); }
  function cardMode() {
    var type = binInfo && binInfo.cardType;
    return type === 'DEBIT' ? 'DEBIT_CARD' : type === 'PREPAID' ? 'PREPAID_CARD' : type === 'CORPORATE' ? 'CORPORATE_CARD' : 'CREDIT_CARD';
  }
  var cardNumber = $('#card-number');
  if (cardNumber) {
    cardNumber.addEventListener('input', function () {
      var n = digits(cardNumber.value);
      var bin = n.slice(0, 10);
      var label = $('#card-network');
      if (bin.length < 10) { binInfo = null; lastBin = ''; if (label) label.textContent = ''; return; }
      if (bin === lastBin) return;
      lastBin = bin;
      call('GET', '/pay/checkout/bin/details' + keyQuery + '&bin=' + bin + '&transactionId=' + txn).then(function (res) {
        if (lastBin !== bin) return;
        binInfo = res.ok ? payload(res) : null;
        if (label) label.textContent = binInfo ? [binInfo.cardSchemeType, binInfo.cardType, binInfo.bankName].filter(Boolean).join(' · ') : '';
        showFees(cardMode(), binInfo && binInfo.cardSchemeType);
      }).catch(function () { binInfo = null; });
    });
  }
  var expiry = $('#card-expiry');
  if (expiry) {
    expiry.addEventListener('input', function () {
      var n = digits(expiry.value).slice(0, 4);
      expiry.value = n.length > 2 ? n.slice(0, 2) + '/' + n.slice(2) : n;
    });
  }
  var cardForm = $('#card-form');
  if (cardForm) {
    cardForm.addEventListener('submit', function (e) {
      e.preventDefault();
      var err = $('#card-error');
      var number = digits(cardNumber.value);
      var exp = $('#card-expiry').value.trim();
      var cvv = digits($('#card-cvv').value);
      var name = $('#card-name').value.trim();
      if (number.length < 12 || number.length > 19) { say(err, 'Enter the card number (12 to 19 digits).'); cardNumber.focus(); return; }
      if (!/^(0[1-9]|1[0-2])\/\d{2}$/.test(exp)) { say(err, 'Enter the expiry as MM/YY.'); $('#card-expiry').focus(); return; }
      if (cvv.length < 3 || cvv.length > 4) { say(err, 'Enter the 3- or 4-digit CVV.'); $('#card-cvv').focus(); return; }
      charge(cardForm, err, {
        paymentMode: cardMode(),
        cardNumber: btoa(number),
        cvv: btoa(cvv),
        expiry: btoa(exp),
        cardHolderName: name || null,
        saveCard: false,
        paymentToken: null,
        paymentType: 'NEW_CARD'
      });
    });
  }

  // Netbanking, wallets, pay later: a code from the list, then the bank's (simulated) page.
  $all('form[data-code-mode]').forEach(function (form) {
    var mode = form.getAttribute('data-code-mode');
    form.addEventListener('change', function () {
      var checked = $('input[name="bankCode"]:checked', form) || $('select[name="bankCode"]', form);
      if (checked && checked.value) showFees(mode, checked.value);
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var err = $('.alert', form);
      var picked = $('input[name="bankCode"]:checked', form);
      var other = $('select[name="bankCode"]', form);
      var code = (picked && picked.value) || (other && other.value) || '';
      if (!code) { say(err, mode === 'NET_BANKING' ? 'Choose your bank.' : 'Choose a provider.'); return; }
      charge(form, err, { paymentMode: mode, bankCode: code });
    });
  });
  // A bank picked in the "other banks" list clears the top-bank radios, and the reverse.
  $all('form[data-code-mode]').forEach(function (form) {
    var other = $('select[name="bankCode"]', form);
    if (!other) return;
    other.addEventListener('change', function () { $all('input[name="bankCode"]', form).forEach(function (r) { r.checked = false; }); });
    $all('input[name="bankCode"]', form).forEach(function (r) { r.addEventListener('change', function () { other.value = ''; }); });
  });

  // ---- UPI: collect to a VPA, QR code, intent links; then poll GET /pay/checkout/status/upi/{ekPayId}
  var upiWait = $('#upi-waiting');
  var payerPanel = $('#sandbox-payer');
  var payerButtons = $all('[data-payer-answer]');
  /** intent: a QR code or app link, which waits for a payer; the sandbox shows its payer control. */
  function waitForUpi(ekPayId, intent) {
    var deadline = Date.now() + (d.upiCollectTimeout || 5) * 60000;
    if (upiWait) { upiWait.hidden = false; $('#upi-waiting-text').textContent = 'Waiting for you to approve the payment in your UPI app…'; }
    $all('#panel-upi button, #panel-upi input').forEach(function (el) { el.disabled = true; });
    if (intent && payerPanel) {
      payerPanel.hidden = false;
      payerButtons.forEach(function (b) { b.disabled = false; });
    }
    var cancelButton = $('#cancel-button');
    if (cancelButton) cancelButton.disabled = false;
    function poll() {
      call('GET', '/pay/checkout/status/upi/' + encodeURIComponent(ekPayId) + keyQuery).then(function (res) {
        var status = (payload(res) || {}).status;
        // reference §2.4: SUCCESS, PENDING_WITH_BANK and AUTHORIZED end the wait as a success; FAILED as a failure.
        if (status === 'SUCCESS' || status === 'PENDING_WITH_BANK' || status === 'AUTHORIZED' || status === 'FAILED' || status === 'CANCELLED') { finish(); return; }
        if (Date.now() > deadline) { expire(); return; }
        pollTimer = setTimeout(poll, d.pollIntervalMs);
      }).catch(function () { pollTimer = setTimeout(poll, d.pollIntervalMs); });
    }
    pollTimer = setTimeout(poll, d.pollIntervalMs);
  }

  // The sandbox payer control: the tester answers for the payer's app; a final answer ends the wait.
  payerButtons.forEach(function (button) {
    button.addEventListener('click', function () {
      var err = $('#sandbox-payer-error');
      payerButtons.forEach(function (b) { b.disabled = true; });
      say(err, '');
      call('POST', '/pay/checkout/sandbox/upi-payer/' + txn + keyQuery, { answer: button.getAttribute('data-payer-answer') }).then(function (res) {
        var status = (payload(res) || {}).status;
        if (res.ok && (status === 'SUCCESS' || status === 'FAILED')) { finish(); return; }
        payerButtons.forEach(function (b) { b.disabled = false; });
        say(err, res.ok ? 'The payer answered; the bank has not confirmed yet.' : errorText(res), res.ok ? 'info' : 'error');
      }).catch(function () {
        payerButtons.forEach(function (b) { b.disabled = false; });
        say(err, 'Could not reach the server.');
      });
    });
  });

  // A payment left with the bank (a slow netbanking or wallet answer): the minimal status decides.
  function pollMinimal() {
    call('GET', '/api/v0/transactions/' + txn + '/minimal' + keyQuery).then(function (res) {
      var p = payload(res) || {};
      var status = p.status || p.transactionStatus;
      if (status === 'SUCCESS' || status === 'FAILED' || status === 'CANCELLED') { finish(); return; }
      pollTimer = setTimeout(pollMinimal, d.pollIntervalMs);
    }).catch(function () { pollTimer = setTimeout(pollMinimal, d.pollIntervalMs); });
  }

  var collectForm = $('#upi-collect-form');
  if (collectForm) {
    collectForm.addEventListener('submit', function (e) {
      e.preventDefault();
      var err = $('#upi-error');
      var vpa = $('#upi-vpa').value.trim();
      if (!/^[a-zA-Z0-9._-]{2,256}@[a-zA-Z][a-zA-Z0-9.-]*$/.test(vpa)) { say(err, 'Enter your UPI ID, like name@bank.'); $('#upi-vpa').focus(); return; }
      charge(collectForm, err, { paymentMode: 'UPI', vpa: vpa });
    });
  }

  var qrButton = $('#upi-qr-button');
  if (qrButton) {
    qrButton.addEventListener('click', function () {
      if (busy) return;
      var err = $('#upi-error');
      busy = true;
      qrButton.disabled = true;
      saveContact().then(function (ok) {
        if (!ok) { busy = false; qrButton.disabled = false; return; }
        return call('GET', '/pay/checkout/qrcode/' + txn + keyQuery).then(function (res) {
          var p = payload(res) || {};
          if (!res.ok || !p.qrCode) { busy = false; qrButton.disabled = false; say(err, errorText(res)); return; }
          var img = $('#upi-qr-image');
          img.src = 'data:image/png;base64,' + p.qrCode;
          img.hidden = false;
          $('#upi-qr-placeholder').hidden = true;
          $('#upi-qr-link').textContent = p.qrUrl;
          waitForUpi(p.ekPayId, true);
        });
      }).catch(function () { busy = false; qrButton.disabled = false; say(err, 'Could not reach the server.'); });
    });
  }

  // A UPI app: the intent is registered when the customer picks the app, then the app's link opens.
  $all('#upi-intents button[data-app]').forEach(function (button) {
    button.addEventListener('click', function () {
      if (busy) return;
      var err = $('#upi-error');
      busy = true;
      saveContact().then(function (ok) {
        if (!ok) { busy = false; return; }
        return call('POST', '/pay/charge/intent-transaction' + keyQuery, { transactionId: d.transactionId, paymentMode: 'UPI', bankCode: button.getAttribute('data-app') }).then(function (res) {
          var p = payload(res) || {};
          if (!res.ok) { busy = false; say(err, errorText(res)); return; }
          waitForUpi(p.ekPayId, true);
          if (p.intentUrl) window.location.href = p.intentUrl;
        });
      }).catch(function () { busy = false; say(err, 'Could not reach the server.'); });
    });
  });

  // ---- cancel and expiry ---------------------------------------------------------------------
  var cancelButton = $('#cancel-button');
  if (cancelButton) {
    cancelButton.addEventListener('click', function () {
      if (!window.confirm('Cancel this payment and return to ' + (d.merchantInfo && d.merchantInfo.merchantName || 'the merchant') + '?')) return;
      cancelButton.disabled = true;
      if (pollTimer) clearTimeout(pollTimer);
      call('PATCH', d.checkoutCancelURL + keyQuery, { transactionId: d.transactionId, remark: 'Cancelled by the customer on the checkout page' }).then(function (res) {
        if (res.ok || res.status === 404) { finish(); return; }
        cancelButton.disabled = false;
        window.alert(errorText(res));
      }, finish);
    });
  }

  function expire() {
    if (pollTimer) clearTimeout(pollTimer);
    call('PATCH', '/pay/charge/expire' + keyQuery, { transactionId: d.transactionId, remark: 'timeout' }).then(finish, finish);
  }

  var timerEl = $('#expiry-timer');
  if (timerEl && d.expiresInSeconds !== undefined && d.expiresInSeconds !== null) {
    var end = Date.now() + d.expiresInSeconds * 1000;
    var tick = function () {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      var m = Math.floor(left / 60);
      var s = left % 60;
      timerEl.textContent = 'This page expires in ' + m + ':' + (s < 10 ? '0' : '') + s;
      if (left === 0) { timerEl.textContent = 'This payment page has expired.'; expire(); return; }
      setTimeout(tick, 1000);
    };
    tick();
  }
})();
`;
