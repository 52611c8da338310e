// A prefilled quantity is selected, so whatever the keypad types replaces it instead of being
// appended to it ("2" typed over "2" stays 2, not 22). Served from /wms/static: no inline scripts.
(function () {
  function selectPrefilled() {
    var field = document.querySelector('input[autofocus][inputmode="decimal"]');
    if (field && field.value) { field.focus(); field.select(); }
  }
  document.addEventListener("DOMContentLoaded", selectPrefilled);
  document.addEventListener("htmx:afterSettle", selectPrefilled);
})();
