import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A merchant's checkout page on its own origin that calls Tijori's public checkout routes exactly
 * as EnKash's custom checkout SDK (v1.0.0-alpha.1) does (reference §2.4, CONFIRMED-SDK; written
 * from its observed calls, none of its code): `fetch` with `credentials: 'omit'` and a JSON
 * content type only when there is a body; the transaction named by its id alone (the key only on
 * `/pay/charge/process`); `paymentAttemptLeft === true`; a BIN lookup at 10 digits; `dauth` read
 * as final; the bank pages in a popup opened in the click (`popupMode: true`) and the outcome
 * from polling `minimal`, never from the popup. The outcome lands in `#result` as JSON.
 */
const SHOP_JS = String.raw`(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var base = params.get('gateway');
  var orderId = params.get('order');
  var order = null;
  var log = document.getElementById('log');
  function note(text) { var li = document.createElement('li'); li.textContent = text; log.appendChild(li); }

  function http(method, path, body) {
    var init = { method: method, credentials: 'omit', headers: {} };
    if (body !== undefined) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
    note(method + ' ' + path);
    return fetch(base + path, init).then(function (res) {
      return res.text().then(function (text) {
        var parsed = text ? JSON.parse(text) : null;
        if (!res.ok) throw new Error('GATEWAY ' + res.status + ' ' + (parsed && parsed.response_message));
        if (parsed && 'response_code' in parsed) {
          if (Number(parsed.response_code) !== 0) throw new Error('GATEWAY ' + parsed.response_message);
          return parsed.payload;
        }
        return parsed;
      });
    }, function (err) { throw new Error('NETWORK ' + err.message); });
  }

  var done = false;
  function deliver(result) {
    if (done) return;
    done = true;
    document.getElementById('result').textContent = JSON.stringify(result);
  }
  function status(minimal, forced) {
    var o = String(minimal.orderStatus || '').toUpperCase();
    var t = String(minimal.status || minimal.transactionStatus || '').toUpperCase();
    var key = o === 'ATTEMPTED' ? t || o : o || t;
    if (forced) return forced;
    if (['SUCCESS', 'PAID', 'CAPTURED', 'AUTHORIZED'].indexOf(key) !== -1) return 'success';
    return key === 'CANCELLED' ? 'cancelled' : 'failed';
  }
  function settle(transactionId, forced) {
    return http('GET', '/api/v0/transactions/' + encodeURIComponent(transactionId) + '/minimal').then(function (m) {
      deliver({ payment_status: status(m, forced), payment_id: m.transactionId, order_id: m.uniqueTransactionId, signature: m.checksum,
        amount: String(m.finalAmount), orderStatus: m.orderStatus, status: m.status, paymentMode: m.paymentMode, paymentAttemptLeft: m.paymentAttemptLeft });
    });
  }
  function poll(fetchOnce, isFinal, then) {
    (function tick() {
      fetchOnce().then(function (p) { if (isFinal(p)) then(); else setTimeout(tick, 300); }, function () { setTimeout(tick, 300); });
    })();
  }
  function pollMinimal(transactionId) {
    poll(function () { return http('GET', '/api/v0/transactions/' + encodeURIComponent(transactionId) + '/minimal'); },
      function (m) { var o = m.orderStatus; var s = m.status; return o === 'PAID' || o === 'CANCELLED' || o === 'EXPIRED' || (o === 'ATTEMPTED' && ['SUCCESS', 'FAILED', 'CANCELLED'].indexOf(s) !== -1); },
      function () { settle(transactionId); });
  }
  function pollUpi(ekPayId) {
    poll(function () { return http('GET', '/pay/checkout/status/upi/' + encodeURIComponent(ekPayId)); },
      function (p) { return p && p.status && p.status !== 'PROCESS'; },
      function () { settle(ekPayId); });
  }
  function fail(err) { document.getElementById('error').textContent = err.message; }

  function charge(paymentDetail, popup) {
    var txn = order.transactionId;
    return http('PATCH', '/pay/checkout/customer-info/' + encodeURIComponent(txn),
      { customerEmail: null, customerMobile: '9876543210', merchantAccessKey: order.publicIdentifierKey })
      .then(function () { return http('GET', '/api/v0/transactions/' + encodeURIComponent(txn) + '/minimal'); })
      .then(function (m) {
        if (m.paymentAttemptLeft !== true) throw new Error('ORDER_NOT_PAYABLE');
        return http('POST', '/pay/charge/process', { uniqueTransactionId: order.uniqueTransactionId, publicIdentifierKey: order.publicIdentifierKey,
          transactionId: txn, paymentDetail: paymentDetail, surcharge: '0.00', surchargeGst: Number(order.surchargeGst) || 0, popupMode: true });
      })
      .then(function (r) {
        var id = r.transactionId || txn;
        if (String(r.transactionStatus).toUpperCase() === 'SUCCESS' && r.dauth) { if (popup) popup.close(); return settle(id); }
        if (r.error) { if (popup) popup.close(); return settle(id); }
        if (!r.redirectionUrl) { if (popup) popup.close(); return deliver({ payment_status: 'failed', transactionMessage: 'Missing payment redirect URL' }); }
        popup.location.href = r.redirectionUrl;
        pollMinimal(id);
      });
  }

  http('GET', '/pay/checkout/' + encodeURIComponent(orderId)).then(function (o) {
    order = o;
    document.getElementById('attempts').textContent = o.paymentAttemptLeft === true ? 'attempts left' : 'no attempts left';
    document.getElementById('ready').textContent = 'ready';
  }, fail);

  document.getElementById('card-pay').addEventListener('click', function () {
    var number = document.getElementById('card-number').value;
    var popup = window.open('', '_blank');
    http('GET', '/api/v0/bin/details?bin=' + number + '&transactionId=' + encodeURIComponent(order.transactionId)).then(function (bin) {
      document.getElementById('bin').textContent = bin.cardSchemeType + ' ' + bin.cardType;
      var mode = { CREDIT: 'CREDIT_CARD', DEBIT: 'DEBIT_CARD', PREPAID: 'PREPAID_CARD', CORPORATE: 'CORPORATE_CARD' }[bin.cardType];
      return charge({ cardNumber: btoa(number), cvv: btoa('123'), expiry: btoa('12/34'), paymentMode: mode, cardHolderName: 'Asha Rao',
        saveCard: false, paymentToken: null, paymentType: 'NEW_CARD' }, popup);
    }).catch(fail);
  });
  document.getElementById('nb-pay').addEventListener('click', function () {
    var popup = window.open('', '_blank');
    charge({ paymentMode: 'NET_BANKING', bankCode: 'HDFC' }, popup).catch(fail);
  });
  document.getElementById('upi-qr').addEventListener('click', function () {
    http('GET', '/pay/checkout/qrcode/' + encodeURIComponent(order.transactionId)).then(function (qr) {
      document.getElementById('qr').src = 'data:image/png;base64,' + qr.qrCode;
      document.getElementById('qr').setAttribute('data-ref', qr.ekPayId);
      pollUpi(qr.ekPayId);
    }).catch(fail);
  });
  document.getElementById('upi-links').addEventListener('click', function () {
    http('GET', '/pay/checkout/upi-detail/' + encodeURIComponent(order.transactionId)).then(function (d) {
      document.getElementById('links').textContent = d.gpay;
      document.getElementById('links').setAttribute('data-ref', d.transactionId);
    }).catch(fail);
  });
  document.getElementById('upi-app').addEventListener('click', function () {
    var ref = document.getElementById('links').getAttribute('data-ref');
    http('POST', '/pay/charge/intent-transaction', { transactionId: ref, paymentMode: 'UPI', bankCode: 'gpay' }).then(function (r) {
      pollUpi(r.transactionId || ref);
    }).catch(fail);
  });
  document.getElementById('cancel').addEventListener('click', function () {
    http('PATCH', '/pay/charge/order/cancel', { transactionId: order.transactionId, reason: 'customer_cancelled' }).then(
      function () { return settle(order.transactionId, 'cancelled'); }, function () { return settle(order.transactionId, 'cancelled'); });
  });
})();
`;

const SHOP_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop checkout</title></head><body>
<h1>Shop checkout</h1>
<p id="ready"></p><p id="attempts"></p><p id="error" role="alert"></p>
<label>Card number <input id="card-number"></label><button id="card-pay">Pay by card</button><p id="bin"></p>
<button id="nb-pay">Pay by HDFC netbanking</button>
<button id="upi-qr">Show UPI QR</button><img id="qr" alt="UPI QR">
<button id="upi-links">UPI apps</button><p id="links"></p><button id="upi-app">Pay with Google Pay</button>
<button id="cancel">Cancel</button>
<pre id="result"></pre><ol id="log"></ol>
<script src="/shop.js"></script>
</body></html>`;

/** Serves the merchant's page on its own origin (127.0.0.1, another port than Tijori's). */
export async function startShop(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url?.startsWith('/shop.js')) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(SHOP_JS);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(SHOP_HTML);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
