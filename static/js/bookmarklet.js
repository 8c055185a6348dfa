// The "Flag this listing" button is a bookmarklet: a javascript: link meant to be dragged to the
// bookmarks bar and clicked on a listing. Clicked on our own page, our CSP (script-src 'self', no
// 'unsafe-inline') refuses to run it and nothing visible happens, so show what to do instead.
(function () {
  "use strict";
  document.querySelectorAll("[data-bookmarklet-hint]").forEach(function (link) {
    var hint = document.getElementById(link.getAttribute("data-bookmarklet-hint"));
    link.addEventListener("click", function (event) {
      event.preventDefault();
      if (hint) {
        hint.hidden = false;
      }
    });
  });
})();
