/**
 * /pay/button.js: the payment button a merchant embeds in its own page (ADR 0022,
 * docs/api/gateway-button.md). Plain ES2017, no framework, self-contained: it runs on the
 * merchant's origin and talks only to the Tijori origin it was loaded from, through the public
 * CORS routes `GET /pay/button/{id}` and `POST /pay/button/{id}/orders`, then sends the payer to
 * the hosted checkout. Styles are set through `element.style` (CSSOM), which a merchant page's
 * Content-Security-Policy does not block the way a `<style>` element or a style attribute would.
 * Written without template literals so that it can live in this TypeScript string.
 */
export const BUTTON_JS = String.raw`(function () {
  'use strict';
  var script = document.currentScript;
  // The Tijori base this script came from (it may sit under a path prefix).
  var base = script && script.src ? script.src.replace(/\/pay\/button\.js(\?.*)?$/, '') : '';
  if (!base) return;

  function el(tag, props, style) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      if (k === 'text') node.textContent = props[k];
      else node.setAttribute(k, props[k]);
    });
    Object.keys(style || {}).forEach(function (k) { node.style[k] = style[k]; });
    return node;
  }

  function rupees(amount) {
    return '\u20b9' + Number(amount).toLocaleString('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  /** Calls a public button route; resolves to { ok, body } (the EnKash envelope). */
  function call(method, path, body) {
    var init = { method: method, headers: {}, credentials: 'omit', mode: 'cors' };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(base + path, init).then(function (res) {
      return res.json().then(function (json) { return { ok: res.ok && json.response_code === 0, body: json }; }, function () { return { ok: false, body: null }; });
    }, function () { return { ok: false, body: null }; });
  }

  var BUTTON_STYLE = { border: '0', borderRadius: '6px', color: '#ffffff', cursor: 'pointer', font: '600 16px/1.2 system-ui, sans-serif', padding: '12px 20px' };
  var INPUT_STYLE = { boxSizing: 'border-box', display: 'block', font: '15px/1.3 system-ui, sans-serif', margin: '4px 0 10px', padding: '8px', width: '100%' };

  function render(mount, b) {
    // Unique in the page even when the snippet is pasted twice (each copy of this script runs on its own):
    // every rendered button is in the page by the time the next one is rendered.
    var id = 'tijori-' + b.buttonId + '-' + (document.querySelectorAll('.tijori-button').length + 1);
    var box = el('div', { 'class': 'tijori-button', 'data-button-id': b.buttonId }, { display: 'inline-block', font: '15px/1.4 system-ui, sans-serif', maxWidth: '360px' });
    var label = b.buttonLabel + (b.amountType === 'FIXED' ? ' \u2013 ' + rupees(b.amount) : '');
    var button = el('button', { type: 'button', text: label }, BUTTON_STYLE);
    button.style.background = b.buttonColor;
    box.appendChild(button);
    if (b.status !== 'ACTIVE') {
      button.disabled = true;
      button.style.opacity = '0.5';
      box.appendChild(el('p', { text: 'This payment button is not accepting payments.' }, { margin: '6px 0 0' }));
      mount.appendChild(box);
      return;
    }
    var needsForm = b.amountType === 'PAYER_ENTERED' || b.fields.length > 0;
    var form = el('form', { novalidate: '', id: id + '-form', 'aria-label': b.title }, { border: '1px solid #d0d5dd', borderRadius: '6px', marginTop: '8px', padding: '12px' });
    var error = el('p', { role: 'alert' }, { color: '#b42318', margin: '0 0 8px' });
    var inputs = {};
    var amountInput = null;
    if (needsForm) {
      form.hidden = true;
      form.appendChild(el('strong', { text: b.title }));
      if (b.description) form.appendChild(el('p', { text: b.description }, { margin: '4px 0 8px' }));
      if (b.amountType === 'PAYER_ENTERED') {
        var range = b.minAmount !== null && b.maxAmount !== null ? ' (' + rupees(b.minAmount) + ' to ' + rupees(b.maxAmount) + ')'
          : b.minAmount !== null ? ' (at least ' + rupees(b.minAmount) + ')' : b.maxAmount !== null ? ' (at most ' + rupees(b.maxAmount) + ')' : '';
        form.appendChild(el('label', { 'for': id + '-amount', text: 'Amount in rupees' + range }));
        amountInput = el('input', { id: id + '-amount', name: 'amount', type: 'text', inputmode: 'decimal', autocomplete: 'off', maxlength: '16', required: '' }, INPUT_STYLE);
        form.appendChild(amountInput);
      }
      b.fields.forEach(function (f) {
        var type = f.name === 'customerEmail' ? 'email' : f.name === 'customerMobile' ? 'tel' : 'text';
        var auto = f.name === 'customerEmail' ? 'email' : f.name === 'customerMobile' ? 'tel-national' : f.name === 'customerName' ? 'name' : 'off';
        form.appendChild(el('label', { 'for': id + '-' + f.name, text: f.label + (f.required ? '' : ' (optional)') }));
        var input = el('input', { id: id + '-' + f.name, name: f.name, type: type, autocomplete: auto, maxlength: f.name === 'customerMobile' ? '10' : '200' }, INPUT_STYLE);
        if (f.required) input.setAttribute('required', '');
        inputs[f.name] = input;
        form.appendChild(input);
      });
      form.appendChild(error);
      var submit = el('button', { type: 'submit', text: 'Continue to payment' }, BUTTON_STYLE);
      submit.style.background = b.buttonColor;
      form.appendChild(submit);
    } else {
      form.appendChild(error);
      form.hidden = true;
    }
    box.appendChild(form);
    mount.appendChild(box);

    var busy = false;
    function pay() {
      if (busy) return;
      busy = true;
      button.disabled = true;
      error.textContent = '';
      var fields = {};
      Object.keys(inputs).forEach(function (name) { if (inputs[name].value.trim() !== '') fields[name] = inputs[name].value.trim(); });
      var body = { fields: fields };
      if (amountInput) body.amount = amountInput.value.trim().replace(/,/g, '');
      call('POST', '/pay/button/' + encodeURIComponent(b.buttonId) + '/orders', body).then(function (r) {
        if (r.ok) {
          window.location.assign(r.body.payload.checkoutUrl);
          return;
        }
        busy = false;
        button.disabled = false;
        form.hidden = false;
        error.textContent = r.body && r.body.response_message ? r.body.response_message : 'The payment could not be started. Try again.';
      });
    }
    button.addEventListener('click', function () {
      if (!needsForm) return pay();
      form.hidden = !form.hidden;
      if (!form.hidden) (amountInput || inputs[Object.keys(inputs)[0]]).focus();
    });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      pay();
    });
  }

  function mount(node, buttonId) {
    if (!buttonId || node.getAttribute('data-tijori-mounted')) return;
    node.setAttribute('data-tijori-mounted', 'true');
    call('GET', '/pay/button/' + encodeURIComponent(buttonId)).then(function (r) {
      if (r.ok) render(node, r.body.payload);
      else node.appendChild(el('p', { role: 'alert', text: 'Payment button unavailable.' }, { color: '#b42318' }));
    });
  }

  // <script src=".../pay/button.js" data-button-id="BTN..."> renders right after itself ...
  if (script.getAttribute('data-button-id')) {
    var holder = el('div', {});
    script.parentNode.insertBefore(holder, script.nextSibling);
    mount(holder, script.getAttribute('data-button-id'));
  }
  // ... and <div data-tijori-button data-button-id="BTN..."> anywhere in the page.
  function scan() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-tijori-button]'), function (node) {
      mount(node, node.getAttribute('data-button-id') || node.getAttribute('data-tijori-button'));
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', scan);
  else scan();
})();
`;
