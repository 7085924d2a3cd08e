/**
 * /assets/landing.js: the landing page's "Create a test order" button. In the browser, with the
 * seeded sandbox merchant keys the page embeds, it makes the two calls a merchant's server makes
 * (`POST /api/v0/merchant/token`, `POST /api/v0/orders`) and opens the order's hosted checkout.
 */
export const LANDING_JS = String.raw`(function () {
  'use strict';
  var form = document.getElementById('test-order-form');
  var dataEl = document.getElementById('landing-data');
  if (!form || !dataEl) return;
  var keys = JSON.parse(dataEl.textContent);
  var error = document.getElementById('test-order-error');
  var button = form.querySelector('button');
  function fail(message) { error.textContent = message; button.disabled = false; }
  function json(r) { return r.json().catch(function () { return {}; }); }
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    error.textContent = '';
    if (!keys) { fail('This server did not seed the sandbox company: there are no merchant keys to create an order with.'); return; }
    var amount = document.getElementById('test-order-amount').value.trim();
    if (!/^[0-9]{1,9}(\.[0-9]{1,2})?$/.test(amount) || Number(amount) <= 0) { fail('Enter an amount in rupees, like 100 or 249.50.'); return; }
    var description = document.getElementById('test-order-description').value.trim();
    button.disabled = true;
    fetch('/api/v0/merchant/token', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ accessKey: keys.accessKey, secretKey: keys.secretKey }) })
      .then(function (r) { return json(r).then(function (b) { if (!r.ok || !b.token) throw new Error(b.resultMessage || 'The sandbox merchant keys were not accepted.'); return b.token; }); })
      .then(function (token) {
        var order = { orderId: 'TEST-' + Date.now() + '-' + Math.random().toString(36).slice(2, 7), amount: { value: Number(amount), currency: 'INR' } };
        if (description) order.description = description;
        return fetch('/api/v0/orders', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', authorization: 'Bearer ' + token, merchantAccessKey: keys.accessKey },
          body: JSON.stringify(order)
        });
      })
      .then(function (r) { return json(r).then(function (b) { if (!r.ok || b.response_code !== 0 || !b.payload) throw new Error(b.response_message || 'The order was not created (HTTP ' + r.status + ').'); return b.payload; }); })
      .then(function (order) { window.location.assign('/pay/checkout/' + encodeURIComponent(order.orderId)); })
      .catch(function (err) { fail(err.message || 'Could not reach the server.'); });
  });
})();
`;
