// Keyboard shortcuts of the expert queue and review pages (docs/workflows.md, "Experts").
// j/k move through the queue, Enter opens, c claims, a/r/i open the confirm / reject /
// needs-info form and focus its first field, n goes to the next report, ? shows the help
// dialog (its texts are in the template, translated). Nothing fires while typing in a field,
// with a modifier key held, or while a dialog is open. No inline scripts (CSP).
(function () {
  "use strict";

  var help = document.getElementById("shortcut-help");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-queue-row]"));
  var selected = -1;

  function typing(target) {
    if (!target || !target.closest) return false;
    return Boolean(target.closest("input, textarea, select, [contenteditable=''], [contenteditable=true]"));
  }

  function dialogOpen() {
    return Boolean(document.querySelector("dialog[open]"));
  }

  function rowLink(row) {
    return row.querySelector("a[href]");
  }

  function select(index) {
    if (!rows.length) return;
    index = Math.max(0, Math.min(rows.length - 1, index));
    if (selected >= 0 && rows[selected]) {
      rows[selected].classList.remove("selected");
      rows[selected].removeAttribute("aria-current");
    }
    selected = index;
    var row = rows[selected];
    row.classList.add("selected");
    row.setAttribute("aria-current", "true");
    var link = rowLink(row);
    if (link) link.focus();
    row.scrollIntoView({ block: "nearest" });
  }

  function openDecision(name) {
    var details = document.querySelector("details[data-shortcut='" + name + "']");
    if (!details) return false;
    details.open = true;
    var focusName = details.getAttribute("data-focus");
    var field = (focusName && details.querySelector("[name='" + focusName + "']")) ||
      details.querySelector("select, textarea, input:not([type=hidden]), button");
    if (field) {
      field.focus();
      if (field.scrollIntoView) field.scrollIntoView({ block: "center" });
    }
    return true;
  }

  function showHelp() {
    if (!help || typeof help.showModal !== "function") return false;
    help.showModal();
    return true;
  }

  var opener = document.querySelector("[data-shortcut-help-open]");
  if (opener) opener.addEventListener("click", showHelp);

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    // Esc in a decision form's field leaves it (to the form's heading), so shortcuts work again.
    if (event.key === "Escape" && typing(event.target) && !dialogOpen()) {
      var decision = event.target.closest("details[data-shortcut]");
      var summary = decision && decision.querySelector("summary");
      if (summary) { summary.focus(); event.preventDefault(); }
      return;
    }
    if (typing(event.target) || dialogOpen()) return;
    var key = event.key;
    var handled = false;
    if (key === "?") {
      handled = showHelp();
    } else if (key === "j" && rows.length) {
      select(selected + 1); handled = true;
    } else if (key === "k" && rows.length) {
      select(selected < 0 ? 0 : selected - 1); handled = true;
    } else if (key === "Enter" && selected >= 0 && !(event.target.closest && event.target.closest("a, button"))) {
      var link = rowLink(rows[selected]);
      if (link) { link.click(); handled = true; }
    } else if (key === "c") {
      var claim = document.querySelector("form[data-shortcut='claim']");
      if (claim) {
        if (typeof claim.requestSubmit === "function") claim.requestSubmit(); else claim.submit();
        handled = true;
      }
    } else if (key === "a") {
      handled = openDecision("confirm");
    } else if (key === "r") {
      handled = openDecision("reject");
    } else if (key === "i") {
      handled = openDecision("needs-info");
    } else if (key === "n") {
      var next = document.querySelector("a[data-shortcut='next']");
      if (next) { next.click(); handled = true; }
    }
    if (handled) event.preventDefault();
  });

  // htmx swaps the queue when a filter changes: read the rows again.
  // (Only that swap: others, such as the notification count, leave the selection alone.)
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "queue") return;
    rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-queue-row]"));
    selected = -1;
  });
})();
