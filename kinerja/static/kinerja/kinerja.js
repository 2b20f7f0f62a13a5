/* Kinerja: small behaviours that need no framework. */
(function () {
  "use strict";

  // <form data-confirm="..."> asks before it submits (revoking a token, for example).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm) {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    }
  }, true);

  // A button with data-copy-target copies the text of that element to the clipboard.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var source = document.querySelector(button.dataset.copyTarget);
    if (source && navigator.clipboard) {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        if (button.dataset.copiedLabel) button.textContent = button.dataset.copiedLabel;
      });
    }
  });
})();
