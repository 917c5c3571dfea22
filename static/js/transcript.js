// Transcript tools, as an enhancement of links that work without JavaScript:
// - speaker highlighting without a page load (the legend's ?speaker=<id> links);
// - "only this speaker" (?only=1), next / previous turn of the highlighted speaker;
// - next / previous match of the ?hl= words (the server has already put them in <mark>);
// - keyboard shortcuts, listed on the page;
// - on a turn's page, copy buttons for its link and its citation.
(function () {
  "use strict";

  function typing(event) {
    var target = event.target;
    return event.ctrlKey || event.metaKey || event.altKey ||
      (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)));
  }

  function show(element) { if (element) element.hidden = false; }

  // Citation: copy buttons --------------------------------------------------------------
  var status = document.querySelector(".citation__status");
  document.querySelectorAll(".citation__copy[data-copy]").forEach(function (button) {
    show(button);
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source) return;
      var text = source.textContent.replace(/\s+/g, " ").trim();
      function done(ok) {
        if (status) status.textContent = ok ? button.getAttribute("data-copied") || "✓ " + button.textContent : "";
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { done(true); }, function () { fallback(); });
      } else {
        fallback();
      }
      function fallback() {
        var range = document.createRange();
        range.selectNodeContents(source);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (error) { ok = false; }
        done(ok);
      }
    });
  });

  var transcript = document.getElementById("transcript");
  if (!transcript) return;
  var links = Array.prototype.slice.call(transcript.querySelectorAll(".legend__speaker[data-speaker]"));
  var turns = Array.prototype.slice.call(transcript.querySelectorAll(".turn"));
  var only = transcript.querySelector(".legend__only");
  var prevTurn = transcript.querySelector(".legend__prev");
  var nextTurn = transcript.querySelector(".legend__next");
  var turnStatus = transcript.querySelector(".legend__status");
  var clear = transcript.querySelector(".legend__clear");
  var shortcuts = transcript.querySelector(".shortcuts");
  var currentTurn = null;

  function selected() { return transcript.getAttribute("data-selected-speaker"); }

  function updateUrl() {
    var url = new URL(window.location.href);
    var speaker = selected();
    if (speaker === null) url.searchParams.delete("speaker");
    else url.searchParams.set("speaker", speaker);
    if (speaker !== null && transcript.classList.contains("is-only")) url.searchParams.set("only", "1");
    else url.searchParams.delete("only");
    url.hash = "";
    history.replaceState(null, "", url.toString());
  }

  function refreshTools() {
    var speaker = selected();
    [only, prevTurn, nextTurn].forEach(function (tool) {
      if (!tool) return;
      tool.hidden = false;
      if (tool.tagName === "BUTTON") tool.disabled = speaker === null;
    });
    if (only) only.setAttribute("aria-pressed", transcript.classList.contains("is-only") ? "true" : "false");
    if (clear) clear.hidden = speaker === null;
    if (turnStatus && speaker === null) turnStatus.textContent = "";
  }

  function select(speaker) {
    turns.forEach(function (turn) {
      var mine = speaker !== null && turn.getAttribute("data-speaker") === speaker;
      turn.classList.toggle("is-highlighted", mine);
      turn.classList.toggle("is-dimmed", speaker !== null && !mine);
      turn.classList.remove("is-current");
    });
    links.forEach(function (link) {
      var active = link.getAttribute("data-speaker") === speaker;
      link.classList.toggle("is-active", active);
      link.setAttribute("aria-pressed", active ? "true" : "false");
    });
    currentTurn = null;
    if (speaker === null) {
      transcript.removeAttribute("data-selected-speaker");
      transcript.classList.remove("is-only");
    } else {
      transcript.setAttribute("data-selected-speaker", speaker);
    }
    updateUrl();
    refreshTools();
  }

  function toggleOnly() {
    if (selected() === null) return;
    transcript.classList.toggle("is-only");
    updateUrl();
    refreshTools();
  }

  function stepTurn(direction) {
    var speaker = selected();
    if (speaker === null) return;
    var mine = turns.filter(function (turn) { return turn.getAttribute("data-speaker") === speaker; });
    if (!mine.length) return;
    var index = currentTurn ? mine.indexOf(currentTurn) : -1;
    if (index === -1) {
      // Start from the first turn below the top of the window (or above it, going back).
      var top = transcript.querySelector(".legend").getBoundingClientRect().bottom;
      index = direction > 0 ? -1 : mine.length;
      for (var i = 0; i < mine.length; i++) {
        if (mine[i].getBoundingClientRect().top > top + 1) { index = direction > 0 ? i - 1 : i; break; }
      }
    }
    index = (index + direction + mine.length) % mine.length;
    if (currentTurn) currentTurn.classList.remove("is-current");
    currentTurn = mine[index];
    currentTurn.classList.add("is-current");
    scrollBelowBars(currentTurn);
    if (turnStatus) turnStatus.textContent = (index + 1) + " / " + mine.length;
  }

  links.forEach(function (link) {
    link.setAttribute("role", "button");
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var speaker = link.getAttribute("data-speaker");
      select(selected() === speaker ? null : speaker);
    });
    link.addEventListener("keydown", function (event) {
      // A button also answers the space bar.
      if (event.key === " ") { event.preventDefault(); link.click(); }
    });
  });
  if (only) {
    only.setAttribute("role", "button");
    only.addEventListener("click", function (event) { event.preventDefault(); toggleOnly(); });
    only.addEventListener("keydown", function (event) {
      if (event.key === " ") { event.preventDefault(); toggleOnly(); }
    });
  }
  if (prevTurn) prevTurn.addEventListener("click", function () { stepTurn(-1); });
  if (nextTurn) nextTurn.addEventListener("click", function () { stepTurn(1); });
  if (clear) clear.addEventListener("click", function (event) { event.preventDefault(); select(null); });
  show(shortcuts);
  if (links.length) refreshTools();

  // Marks of the ?hl= words ---------------------------------------------------------------
  var marks = Array.prototype.slice.call(transcript.querySelectorAll(".turn__text mark"));
  var prevMark = transcript.querySelector(".marks__prev");
  var nextMark = transcript.querySelector(".marks__next");
  var markPosition = transcript.querySelector(".marks__position");
  var markIndex = -1;
  var marksBox = transcript.querySelector(".marks");
  var legendBox = transcript.querySelector(".legend");

  // The match counter and the legend stay in view (sticky, the legend below the counter:
  // static/css/site.css). No inline style: the places below them are measured when needed.
  if (marksBox) transcript.classList.add("has-sticky-marks");

  function readingTop() {
    // Where the reader's text starts once the sticky counter and legend are stuck at the
    // top of the window: below both (their stuck heights, whether or not they are stuck yet).
    var top = 0;
    [marksBox, legendBox].forEach(function (box) {
      if (!box) return;
      var style = getComputedStyle(box);
      if (style.position === "sticky") top = Math.max(top, (parseFloat(style.top) || 0) + box.offsetHeight);
    });
    return top;
  }

  function scrollBelowBars(element) {
    // Scroll so that ``element`` starts just below the sticky counter and legend.
    var gap = element.getBoundingClientRect().top - readingTop() - 8;
    window.scrollBy(0, gap);
  }

  function landOnHash() {
    // Arriving at #u-4 (a search hit) or #m-2: the browser's scroll-margin is a guess made
    // without JavaScript; with it, the target starts right below the bars, not under them.
    var id = window.location.hash.slice(1);
    var target = id && document.getElementById(id);
    if (target && transcript.contains(target) && target.getBoundingClientRect().top < readingTop()) {
      scrollBelowBars(target);
    }
  }
  window.addEventListener("hashchange", landOnHash);
  window.addEventListener("load", landOnHash);

  function visible(mark) {
    var rect = mark.getBoundingClientRect();
    return mark.getClientRects().length > 0 && rect.bottom > readingTop() && rect.top < window.innerHeight;
  }

  function startFromPlace(direction) {
    // No current match in view: start from where the reader is (arriving from a search hit
    // at #u-4, the first match at or after that turn), not from match 1.
    var top = readingTop() - 1;
    if (direction > 0) {
      for (var i = 0; i < marks.length; i++) {
        if (marks[i].getClientRects().length && marks[i].getBoundingClientRect().top >= top) return i - 1;
      }
      return marks.length - 1;
    }
    for (var j = marks.length - 1; j >= 0; j--) {
      if (marks[j].getClientRects().length && marks[j].getBoundingClientRect().bottom <= top + 1) return j + 1;
    }
    return 0;
  }

  function stepMark(direction) {
    if (!marks.length) return;
    if (markIndex >= 0) marks[markIndex].classList.remove("is-current");
    if (markIndex < 0 || !visible(marks[markIndex])) markIndex = startFromPlace(direction);
    markIndex = (markIndex + direction + marks.length) % marks.length;
    var mark = marks[markIndex];
    var turn = mark.closest(".turn");
    if (turn && transcript.classList.contains("is-only") && turn.classList.contains("is-dimmed")) {
      transcript.classList.remove("is-only");  // a collapsed turn would hide the match
      updateUrl();
      refreshTools();
    }
    mark.classList.add("is-current");
    mark.scrollIntoView({ block: "center" });
    if (markPosition) markPosition.textContent = " · " + (markIndex + 1) + " / " + marks.length;
  }
  show(prevMark);
  show(nextMark);
  if (prevMark) prevMark.addEventListener("click", function () { stepMark(-1); });
  if (nextMark) nextMark.addEventListener("click", function () { stepMark(1); });

  document.addEventListener("keydown", function (event) {
    if (typing(event)) return;
    var key = event.key;
    if (key >= "1" && key <= "9") {
      var link = links[Number(key) - 1];
      if (link) { link.click(); link.focus(); }
    } else if (key === "j") stepTurn(1);
    else if (key === "k") stepTurn(-1);
    else if (key === "o") toggleOnly();
    else if (key === "n") stepMark(1);
    else if (key === "p") stepMark(-1);
    else if (key === "Escape" && selected() !== null) select(null);
    else return;
    event.preventDefault();
  });
})();
