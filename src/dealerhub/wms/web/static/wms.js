// The scan field holds the focus, so a handheld's scanner (which types into the focused field and
// presses Enter) always lands there: the autofocus attribute alone is applied late or not at all
// when a page comes back from the history cache. A prefilled quantity is selected, so whatever the
// keypad types replaces it instead of being appended to it ("2" typed over "2" stays 2, not 22).
// Served from /wms/static: no inline scripts.
(function () {
  function focusScanField() {
    var field = document.querySelector("input[autofocus]");
    if (!field) { return; }
    field.focus();
    if (field.value && field.getAttribute("inputmode") === "decimal") { field.select(); }
  }
  document.addEventListener("DOMContentLoaded", focusScanField);
  window.addEventListener("pageshow", focusScanField);
  document.addEventListener("htmx:afterSettle", focusScanField);
})();
