// The review page: canned replies fill their form's text box; screenshots open full size in a
// dialog (zoom toggles between fitting the window and the image's real size; Esc closes, focus
// returns to the thumbnail). Without this script the select is still sent (the server uses the
// chosen reply when the text box is empty) and thumbnails open the image. No inline scripts (CSP).
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[data-canned-target]")) return;
    var option = select.options[select.selectedIndex];
    var text = option && option.getAttribute("data-text");
    var box = select.form && select.form.querySelector("[name='" + select.getAttribute("data-canned-target") + "']");
    if (!box || !text) return;
    box.value = text;
    box.dispatchEvent(new Event("input", { bubbles: true }));
  });

  var dialog = document.getElementById("evidence-zoom");
  if (!dialog || typeof dialog.showModal !== "function") return;
  var frame = dialog.querySelector(".zoom-frame");
  var image = frame.querySelector("img");
  var toggle = dialog.querySelector("[data-zoom-toggle]");
  var opener = null;

  function setZoomed(zoomed) {
    frame.classList.toggle("zoomed", zoomed);
    toggle.setAttribute("aria-pressed", zoomed ? "true" : "false");
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-zoom]");
    if (!link) return;
    event.preventDefault();
    opener = link;
    var thumbnail = link.querySelector("img");
    image.src = link.href;
    image.alt = thumbnail ? thumbnail.alt : link.textContent;
    setZoomed(false);
    dialog.showModal();
    toggle.focus();
  });

  toggle.addEventListener("click", function () {
    setZoomed(!frame.classList.contains("zoomed"));
  });
  image.addEventListener("click", function () {
    setZoomed(!frame.classList.contains("zoomed"));
  });
  dialog.addEventListener("close", function () {
    image.removeAttribute("src");
    if (opener) opener.focus();
  });
})();
