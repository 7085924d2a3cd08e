/**
 * /assets/bank.js: the simulated bank pages work without it (plain forms); it only stops a second
 * submission while the first is on its way.
 */
export const BANK_JS = String.raw`(function () {
  'use strict';
  Array.prototype.forEach.call(document.querySelectorAll('form'), function (form) {
    form.addEventListener('submit', function (e) {
      if (form.getAttribute('data-sent') === 'true') { e.preventDefault(); return; }
      form.setAttribute('data-sent', 'true');
      var button = e.submitter;
      setTimeout(function () { Array.prototype.forEach.call(form.querySelectorAll('button'), function (b) { b.disabled = true; }); if (button) button.setAttribute('aria-busy', 'true'); }, 0);
    });
  });
})();
`;
