/* A "Print" button for pages meant to be printed (the counter receipt): shown only when this script
 * runs, instead of the hint to use the browser's print menu. */
(() => {
  for (const button of document.querySelectorAll('[data-print]')) {
    button.hidden = false;
    button.addEventListener('click', () => window.print());
  }
  for (const hint of document.querySelectorAll('[data-print-hint]')) hint.hidden = true;
})();
