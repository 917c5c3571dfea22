// The meeting page's link to the other-language version lands on the same place in it.
// Without JavaScript the link goes to the top of the other version. With it, the link's
// hash follows the reader: the last turn read as they scroll, or the turn a link took them
// to, mapped to the aligned turn of the other version
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
  var base = other.getAttribute("href").split("#")[0];
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

  // The turn being read: the first whose bottom is below a quarter of the window. Above
  // the transcript (where the version link is) nothing is being read: null, and the link
  // keeps the last place read. Turns are in document order: a binary search finds it.
  function positionOnScreen() {
    var line = window.innerHeight / 4;
    if (turns[0].getBoundingClientRect().top > line) return null;
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

  // A turn the reader jumped to stays "where they are" while it is on screen.
  var pinned = positionFromHash();
  var current = pinned;

  function stillPinned() {
    if (!pinned) return false;
    var turn = document.getElementById("u-" + pinned);
    var box = turn && turn.getBoundingClientRect();
    return Boolean(box && box.bottom > 0 && box.top < window.innerHeight);
  }

  function update() {
    if (!jumps) { load(); return; }
    var target = current && jumps[current];
    other.setAttribute("href", base + (target ? "#u-" + target : ""));
  }

  var waiting = false;
  window.addEventListener("scroll", function () {
    if (waiting) return;
    waiting = true;
    window.requestAnimationFrame(function () {
      waiting = false;
      if (stillPinned()) return;
      pinned = null;
      current = positionOnScreen() || current;
      update();
    });
  }, { passive: true });
  window.addEventListener("hashchange", function () {
    pinned = positionFromHash();
    if (pinned) current = pinned;
    update();
  });
  other.addEventListener("focus", update);
  other.addEventListener("pointerenter", update);
  if (current) update();
})();
