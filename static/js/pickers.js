// Pickers: the person input's suggestion list fills from /people/suggest.json as you type.
// The inputs are plain text inputs with a <datalist>: the browser's own suggestion list works
// with the keyboard, screen readers and on phones, and the form works without this file.
(function () {
  "use strict";
  var DELAY = 150;
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    var timer = null;
    var asked = "";
    function fill(results) {
      list.replaceChildren();
      results.forEach(function (person) {
        var option = document.createElement("option");
        option.value = person.name;
        option.label = person.label;
        list.appendChild(option);
      });
    }
    function ask() {
      var text = input.value.trim();
      if (text.length < 2 || text === asked) { return; }
      asked = text;
      var url = input.dataset.suggest + "?q=" + encodeURIComponent(text);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (asked === text) { fill(data.results); } })
        .catch(function () { /* no suggestions; typing a name still works */ });
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY);
    });
  });
  // Empty fields are left out of the query (no "?q=&date_from=&…"), so the address stays
  // short and shareable; the server redirects such an address to the clean one anyway.
  document.querySelectorAll("form.filters").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[name], select[name]").forEach(function (field) {
        if (field.type === "checkbox" || field.type === "radio") { return; }
        if (!field.value.trim()) { field.disabled = true; }
      });
    });
    // Back/forward restores the page from the cache with those fields still disabled.
    window.addEventListener("pageshow", function () {
      form.querySelectorAll(":disabled").forEach(function (field) { field.disabled = false; });
    });
  });
})();
