/**
 * /assets/close.js: the last page of a popup that EnKash's custom checkout SDK opened
 * (`popupMode: true`, reference §2.4): it closes its own window. The SDK learns the outcome by
 * polling, never from the popup, so the page says the same in words for a browser that keeps it open.
 */
export const CLOSE_JS = String.raw`(function () {
  'use strict';
  window.close();
})();
`;
