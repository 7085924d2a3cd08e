/**
 * /assets/outbox.js: the sandbox outbox page (/sandbox/outbox). The page holds no company data:
 * this script exchanges the merchant keys the developer pastes for a token (or takes a bearer
 * token), calls `GET /api/v0/sandbox/outbox` from the browser and lists the notices. The keys stay
 * in the page's memory; nothing is stored.
 */
export const OUTBOX_JS = String.raw`(function () {
  'use strict';
  var form = document.getElementById('outbox-form');
  var error = document.getElementById('outbox-error');
  var rows = document.getElementById('outbox-rows');
  var summary = document.getElementById('outbox-summary');
  function value(id) { return document.getElementById(id).value.trim(); }
  // Each cell names its column (data-label): on a phone the table shows one card per notice.
  var labels = Array.prototype.map.call(rows.closest('table').querySelectorAll('thead th'), function (th) { return th.textContent; });
  function cell(tr, text, cls) { var td = document.createElement('td'); td.textContent = text == null ? '' : String(text); if (cls) td.className = cls; td.setAttribute('data-label', labels[tr.children.length] || ''); tr.appendChild(td); }
  function fail(message) { error.textContent = message; summary.textContent = ''; }
  function token(accessKey, secretKey, bearer) {
    if (bearer) return Promise.resolve({ authorization: 'Bearer ' + bearer });
    return fetch('/api/v0/merchant/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accessKey: accessKey, secretKey: secretKey }) })
      .then(function (r) { return r.json().then(function (b) { if (!r.ok || !b.token) throw new Error(b.response_message || 'The access key and secret key were not accepted'); return { authorization: 'Bearer ' + b.token, merchantaccesskey: accessKey }; }); });
  }
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    error.textContent = '';
    var accessKey = value('outbox-access-key'), secretKey = value('outbox-secret-key'), bearer = value('outbox-bearer');
    if (!bearer && !(accessKey && secretKey)) { fail('Enter your merchant access key and secret key, or a bearer token.'); return; }
    var query = new URLSearchParams({ limit: '100' });
    if (value('outbox-channel')) query.set('channel', value('outbox-channel'));
    if (value('outbox-related')) query.set('relatedId', value('outbox-related'));
    token(accessKey, secretKey, bearer)
      .then(function (headers) { return fetch('/api/v0/sandbox/outbox?' + query.toString(), { headers: headers }); })
      .then(function (r) { return r.json().then(function (b) { if (!r.ok) throw new Error(b.response_message || b.error_description || 'The outbox could not be read'); return b.payload; }); })
      .then(function (page) {
        rows.textContent = '';
        page.content.forEach(function (n) {
          var tr = document.createElement('tr');
          cell(tr, n.createdOn, 'mono nowrap'); cell(tr, n.channel); cell(tr, n.to, 'mono'); cell(tr, n.subject); cell(tr, n.body, 'notice-body'); cell(tr, n.relatedId, 'mono');
          rows.appendChild(tr);
        });
        summary.textContent = page.totalElements + ' notice' + (page.totalElements === 1 ? '' : 's') + (page.totalElements > page.content.length ? ' (newest ' + page.content.length + ' shown)' : '');
      })
      .catch(function (err) { fail(err.message); });
  });
})();
`;
