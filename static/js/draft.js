// Draft autosave for the "Flag a listing" form: the typed fields (never the files) are kept in
// this browser's localStorage as the volunteer types, under a key per user (data-draft-key),
// restored on return with a "Draft restored — Discard" notice, and removed on submit. A submit
// the server refuses re-renders the form with what was sent, and that is saved again at once.
// Why localStorage and not a server model: see docs/workflows.md (Volunteers). No inline JS (CSP).
(function () {
  "use strict";

  var form = document.querySelector("form[data-draft-key]");
  if (!form || !window.localStorage) return;
  var key = form.dataset.draftKey;
  var notice = document.querySelector("[data-draft-notice]");
  var MAX_AGE_MS = 14 * 24 * 3600 * 1000; // an old draft is about a listing long gone

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.disabled) return false;
      if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
      return el.tagName === "INPUT" && /^(text|url|number|search|email|tel)$/.test(el.type);
    });
  }

  function read() {
    try {
      var draft = JSON.parse(window.localStorage.getItem(key) || "null");
      if (!draft || typeof draft.values !== "object") return null;
      if (Date.now() - (draft.savedAt || 0) > MAX_AGE_MS) { clear(); return null; }
      return draft.values;
    } catch (e) {
      return null;
    }
  }

  function clear() {
    try { window.localStorage.removeItem(key); } catch (e) { /* storage disabled: nothing kept */ }
  }

  function save() {
    var values = {};
    var any = false;
    fields().forEach(function (el) {
      if (el.value) { values[el.name] = el.value; any = true; }
    });
    try {
      if (any) window.localStorage.setItem(key, JSON.stringify({ savedAt: Date.now(), values: values }));
      else clear();
    } catch (e) { /* quota or private mode: the form still works without a draft */ }
  }

  var restored = [];
  if (form.hasAttribute("data-draft-bound")) {
    save(); // the server sent back what was submitted: that is the draft now
  } else {
    var draft = read();
    // Restore only into an untouched form: a form opened from the bookmarklet (address already
    // filled in) is about another listing, and the draft is not mixed into it.
    var pristine = fields().every(function (el) { return el.tagName === "SELECT" || !el.value; });
    if (draft && pristine) {
      fields().forEach(function (el) {
        if (Object.prototype.hasOwnProperty.call(draft, el.name) && el.value !== draft[el.name]) {
          el.value = draft[el.name];
          restored.push(el);
        }
      });
      if (restored.length && notice) notice.hidden = false;
    }
  }

  var timer = null;
  function saveSoon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 300);
  }
  form.addEventListener("input", saveSoon);
  form.addEventListener("change", saveSoon);
  form.addEventListener("submit", function () {
    window.clearTimeout(timer);
    clear();
  });

  if (notice) {
    var discard = notice.querySelector("[data-draft-discard]");
    if (discard) {
      discard.addEventListener("click", function () {
        window.clearTimeout(timer);
        clear();
        restored.forEach(function (el) {
          el.value = el.tagName === "SELECT" && el.options.length ? el.options[0].value : "";
        });
        notice.hidden = true;
        var first = fields()[0];
        if (first) first.focus();
      });
    }
  }
})();
