// Company portal: one checkbox selects every new notice on the page for "Acknowledge selected".
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    if (!event.target.matches("[data-select-all]")) return;
    var form = event.target.form;
    form.querySelectorAll("input[name=references]").forEach(function (box) {
      box.checked = event.target.checked;
    });
  });
})();
