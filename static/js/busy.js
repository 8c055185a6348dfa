// A busy state for forms whose answer takes a moment (signing in hashes the password on
// purpose): <form data-busy-form> with <button type="submit" data-busy-text="…">. On submit
// the button is disabled and says the busy text, so a second click cannot send the form
// again; when the page is shown again (back button, bfcache) the button is restored.
// No inline script (CSP): loaded from the page's extra_body block.
(function () {
  "use strict";

  function buttons(form) {
    return form.querySelectorAll("button[data-busy-text]");
  }

  function restore(button) {
    if (button.dataset.idleText === undefined) return;
    button.textContent = button.dataset.idleText;
    delete button.dataset.idleText;
    button.disabled = false;
    button.removeAttribute("aria-disabled");
  }

  // On window, so it runs after the document's own submit handlers (e.g. data-confirm) and
  // can leave a form alone when one of them cancelled the submission.
  window.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.matches || !form.matches("form[data-busy-form]")) return;
    form.setAttribute("aria-busy", "true");
    Array.prototype.forEach.call(buttons(form), function (button) {
      button.dataset.idleText = button.textContent;
      button.textContent = button.dataset.busyText;
      // Disabled after the submission has started: the form is still sent.
      window.setTimeout(function () { button.disabled = true; }, 0);
      button.setAttribute("aria-disabled", "true");
    });
  });

  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-busy-form]").forEach(function (form) {
      form.removeAttribute("aria-busy");
      Array.prototype.forEach.call(buttons(form), restore);
    });
  });
})();
