// Small progressive enhancements; every page works without them. No inline scripts (CSP).
(function () {
  "use strict";

  // Language selector submits on change.
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) event.target.form.submit();
  });

  // A form's error summary takes the focus, so screen readers and keyboards start there.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  // Irreversible actions: ask first. The server acts only on confirm=yes; without this script
  // it answers with a confirmation page instead.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-confirm]")) return;
    if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); return; }
    var input = form.querySelector("input[name=confirm]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "confirm";
      form.appendChild(input);
    }
    input.value = "yes";
  });

  // Paste screenshots (Ctrl+V) into a report form: pasted images join the file input's files.
  function setupPaste(zone) {
    var input = document.getElementById(zone.dataset.pasteTarget);
    if (!input || typeof DataTransfer === "undefined") return;
    var list = zone.querySelector(".paste-list");
    function addFiles(files) {
      var transfer = new DataTransfer();
      Array.prototype.forEach.call(input.files, function (f) { transfer.items.add(f); });
      files.forEach(function (f) { transfer.items.add(f); });
      input.files = transfer.files;
      list.textContent = "";
      Array.prototype.forEach.call(input.files, function (f) {
        var li = document.createElement("li");
        li.textContent = f.name + " (" + Math.round(f.size / 1024) + " KB)";
        list.appendChild(li);
      });
    }
    function onPaste(event) {
      var items = (event.clipboardData && event.clipboardData.items) || [];
      var files = [];
      Array.prototype.forEach.call(items, function (item, index) {
        if (item.kind === "file" && /^image\/(png|jpeg|webp)$/.test(item.type)) {
          var blob = item.getAsFile();
          var ext = item.type.split("/")[1].replace("jpeg", "jpg");
          files.push(new File([blob], "pasted-" + Date.now() + "-" + index + "." + ext, { type: item.type }));
        }
      });
      if (files.length) { event.preventDefault(); addFiles(files); zone.classList.add("active"); }
    }
    zone.addEventListener("paste", onPaste);
    document.addEventListener("paste", function (event) {
      if (event.target === zone || zone.contains(event.target)) return;
      if (event.target.matches && event.target.matches("input[type=text], input[type=url], textarea")) return;
      onPaste(event);
    });
  }
  document.querySelectorAll("[data-paste-target]").forEach(setupPaste);
})();
