// Small enhancements; every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // On a phone the filters fold away once results are on screen (they stay open when a
  // value needs correcting or nothing has been searched yet).
  if (window.matchMedia("(max-width: 48rem)").matches) {
    document.querySelectorAll("details.filters-panel:not([data-keep-open])").forEach(function (panel) {
      panel.open = false;
    });
  }
  // The language switcher submits as soon as a language is chosen.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
