// Speaker highlighting without a page load. Without JavaScript the legend's links
// (?speaker=<id>) do the same on the server.
(function () {
  "use strict";
  var transcript = document.getElementById("transcript");
  if (!transcript) return;
  var links = transcript.querySelectorAll(".legend__speaker[data-speaker]");
  var turns = transcript.querySelectorAll(".turn");

  function select(speaker) {
    turns.forEach(function (turn) {
      var mine = speaker !== null && turn.getAttribute("data-speaker") === speaker;
      turn.classList.toggle("is-highlighted", mine);
      turn.classList.toggle("is-dimmed", speaker !== null && !mine);
    });
    links.forEach(function (link) {
      var active = link.getAttribute("data-speaker") === speaker;
      link.classList.toggle("is-active", active);
      link.setAttribute("aria-pressed", active ? "true" : "false");
    });
    if (speaker === null) transcript.removeAttribute("data-selected-speaker");
    else transcript.setAttribute("data-selected-speaker", speaker);
    var url = new URL(window.location.href);
    if (speaker === null) url.searchParams.delete("speaker");
    else url.searchParams.set("speaker", speaker);
    url.hash = "";
    history.replaceState(null, "", url.toString());
  }

  links.forEach(function (link) {
    link.setAttribute("role", "button");
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var speaker = link.getAttribute("data-speaker");
      select(transcript.getAttribute("data-selected-speaker") === speaker ? null : speaker);
    });
    link.addEventListener("keydown", function (event) {
      // A button also answers the space bar.
      if (event.key === " ") { event.preventDefault(); link.click(); }
    });
  });
  var clear = transcript.querySelector(".legend__clear");
  if (clear) clear.addEventListener("click", function (event) { event.preventDefault(); select(null); clear.hidden = true; });
})();
