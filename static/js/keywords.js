// "Propose a keyword": text selected in a listing's title or text fills the term field.
// Without this script the field is simply empty and can be typed into. No inline scripts (CSP).
(function () {
  "use strict";
  var SCOPES = ".listing-text, dl.facts dd";

  function insideListing(node) {
    var element = node && (node.nodeType === 1 ? node : node.parentElement);
    return Boolean(element && element.closest && element.closest(SCOPES));
  }

  function selectedListingText() {
    var selection = window.getSelection ? window.getSelection() : null;
    if (!selection || selection.isCollapsed || !selection.rangeCount) return "";
    if (!insideListing(selection.anchorNode) || !insideListing(selection.focusNode)) return "";
    return selection.toString().replace(/\s+/g, " ").trim().slice(0, 200);
  }

  function fill() {
    var text = selectedListingText();
    if (!text) return;  // keep what is there when the selection is elsewhere or cleared
    var fields = document.querySelectorAll("[data-keyword-selection], .keyword-propose-form input[name=text]");
    Array.prototype.forEach.call(fields, function (field) { field.value = text; });
  }

  document.addEventListener("selectionchange", fill);
  document.addEventListener("mouseup", fill);
  document.addEventListener("keyup", fill);
})();
