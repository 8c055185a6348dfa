// Keyword suggestions on the flag form (keywords/suggest.py): the buttons in the fragment that
// htmx puts into #keyword-suggestions fill the form's selects. No inline handlers (CSP).
(function () {
  "use strict";

  function changed(select) {
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // Narrow the species select to one species group (its <optgroup>); pick the species when the
  // group has only one. An empty group name shows every group again.
  function showGroup(name) {
    var select = document.getElementById("id_species");
    if (!select) return;
    var groups = select.querySelectorAll("optgroup");
    var chosen = null;
    groups.forEach(function (group) {
      var match = !name || group.label === name;
      group.hidden = !match;
      group.disabled = !match;
      if (name && match) chosen = group;
    });
    if (chosen) {
      var options = chosen.querySelectorAll("option");
      var current = select.selectedOptions[0];
      if (options.length === 1) {
        select.value = options[0].value;
        changed(select);
      } else if (current && current.parentElement !== chosen) {
        select.value = "";
        changed(select);
      }
    }
    select.focus();
  }

  function useProduct(value) {
    var select = document.getElementById("id_product_type");
    if (!select) return;
    select.value = value;
    changed(select);
    select.classList.add("filled-by-suggestion");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("#keyword-suggestions button");
    if (!button) return;
    if (button.hasAttribute("data-keyword-product")) {
      useProduct(button.getAttribute("data-keyword-product"));
    } else if (button.hasAttribute("data-keyword-group")) {
      showGroup(button.getAttribute("data-keyword-group"));
    }
  });
})();
