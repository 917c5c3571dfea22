// The meeting page's link to the other-language version lands on the same place in it.
// Without JavaScript the link goes to the top of the other version. With it, the link's
// hash follows the reader: the turn at the top of the window as they scroll, or the turn a
// link took them to, mapped to the aligned turn of the other version
// (/meetings/<id>/side-by-side.json, fetched once, on first need).
(function () {
  "use strict";
  var source = document.querySelector("a[data-alignment]");
  if (!source || !window.fetch) return;
  var language = source.getAttribute("data-language");
  var other = null;
  document.querySelectorAll(".meeting__links a[hreflang]").forEach(function (link) {
    if (link.getAttribute("hreflang") !== language) other = link;
  });
  var turns = Array.prototype.slice.call(document.querySelectorAll(".transcript .turn[id^='u-']"));
  if (!other || !turns.length) return;
  var jumps = null;
  var loading = false;

  function load() {
    if (jumps || loading) return;
    loading = true;
    fetch(source.getAttribute("data-alignment"), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { jumps = (data && data[language]) || {}; update(); })
      .catch(function () { jumps = {}; });
  }

  function positionFromHash() {
    var match = /^#u-(\d+)$/.exec(window.location.hash);
    return match ? match[1] : null;
  }

  // The first turn whose bottom is below a quarter of the window: the one being read.
  // Turns are in document order, so a binary search finds it.
  function positionOnScreen() {
    var line = window.innerHeight / 4;
    var low = 0;
    var high = turns.length - 1;
    if (turns[high].getBoundingClientRect().bottom < line) return turns[high].id.slice(2);
    while (low < high) {
      var middle = (low + high) >> 1;
      if (turns[middle].getBoundingClientRect().bottom < line) low = middle + 1;
      else high = middle;
    }
    return turns[low].id.slice(2);
  }

  var pinned = positionFromHash();

  function update() {
    if (!jumps) { load(); return; }
    var position = pinned || positionOnScreen();
    var target = jumps[position];
    other.hash = target && (pinned || window.scrollY > 0) ? "u-" + target : "";
  }

  var waiting = false;
  // A turn the reader jumped to stays "where they are" while it is on screen.
  function stillPinned() {
    if (!pinned) return false;
    var turn = document.getElementById("u-" + pinned);
    var box = turn && turn.getBoundingClientRect();
    return Boolean(box && box.bottom > 0 && box.top < window.innerHeight);
  }

  window.addEventListener("scroll", function () {
    if (!stillPinned()) pinned = null;
    if (waiting) return;
    waiting = true;
    window.requestAnimationFrame(function () { waiting = false; update(); });
  }, { passive: true });
  window.addEventListener("hashchange", function () { pinned = positionFromHash(); update(); });
  other.addEventListener("focus", update);
  other.addEventListener("pointerenter", update);
  if (pinned) update();
})();
