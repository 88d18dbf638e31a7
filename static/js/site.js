// Small progressive enhancements shared by every page. Pages work without it.
(function () {
  "use strict";
  // Styles can tell the page has JavaScript: controls only needed without it are hidden.
  document.documentElement.classList.add("js");

  // A form that cannot be undone (ending a class, resetting a learner's work) asks first.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  // A region refreshed by htmx (the class grid's rows, its Raised hands and Stuck lists) keeps
  // the keyboard's place: htmx focuses the element of the same id in the new content. When
  // that element is gone (the learner's hand went down), the focus goes to the element its
  // data-refocus names (the same learner's name in the grid), not back to the page's top.
  var focusedBeforeSwap = null;
  document.addEventListener("htmx:beforeSwap", function () {
    focusedBeforeSwap = document.activeElement;
  });
  document.addEventListener("htmx:afterSettle", function () {
    var was = focusedBeforeSwap;
    var now = document.activeElement;
    if (!was || was.isConnected || (now && now !== document.body)) return;
    var next = document.getElementById(was.getAttribute("data-refocus") || "");
    if (next) next.focus({ preventScroll: true });
  });

  // A refusal of the server's own (too many new designs or browsers from one network: 429;
  // a page out of date after a sign-in elsewhere: 403; the sentence in Podstudio-Refused) is
  // said beside the form that was used, where htmx would show nothing. The sandbox panel
  // shows such answers itself (sandbox.js).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    var refusal = xhr && (xhr.status === 429 || xhr.status === 403);
    var message = refusal && xhr.getResponseHeader("Podstudio-Refused");
    if (message) sayBeside(event, message);
  });

  // So is a request that got no answer (the server down or restarting, the network gone) or
  // the server's own error: without a word, a hand raised or a quiz answer sent then looked
  // sent. The note goes when the same form (or poll) is answered again.
  document.addEventListener("htmx:sendError", function (event) {
    sayBeside(event, "Not sent: the server cannot be reached (it may be restarting, or the " +
      "network is down). Try again in a moment; what was saved before is kept.");
  });
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status >= 500) {
      sayBeside(event, "Not done: the server had a problem (HTTP " + status + "). Try " +
        "again in a moment; what was saved before is kept.");
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail.successful) return;
    var source = sourceOf(event);
    var note = source && source.nextElementSibling;
    if (note && note.hasAttribute("data-refused")) note.remove();
  });

  function sourceOf(event) {
    var config = event.detail.requestConfig;
    return (config && config.elt) || event.detail.elt;
  }

  function sayBeside(event, message) {
    var target = event.detail.target;
    if (target && target.closest && target.closest("#sandbox-panel")) return; // (sandbox.js)
    var source = sourceOf(event);
    // The builder's form says it in its save status (builder.js), and sends the edits again.
    if (!source || source.id === "builder-form" || !source.isConnected) return;
    var note = source.nextElementSibling;
    if (!note || !note.hasAttribute("data-refused")) {
      note = document.createElement("p");
      note.className = "notice error";
      note.setAttribute("role", "alert");
      note.setAttribute("data-refused", "");
      source.insertAdjacentElement("afterend", note);
    }
    // The same words again (a poll failing every few seconds) are not said again.
    if (note.textContent !== message) note.textContent = message;
  }

  // The message of a form posted without htmx (a hint sent, a hand lowered) is said where the
  // form sent the person back to: moved into that part of the page (the link's #fragment) and
  // focused, so a screen reader reads it and the keyboard goes on from there, not from the top.
  window.addEventListener("load", function () {
    var box = document.querySelector("main .messages, .messages");
    if (!box || (document.activeElement && document.activeElement !== document.body)) return;
    var id = location.hash ? decodeURIComponent(location.hash.slice(1)) : "";
    var place = id ? document.getElementById(id) : null;
    if (place && !place.contains(box) && !box.contains(place)) {
      var heading = place.querySelector("h1, h2, h3");
      if (heading && heading.parentNode === place) heading.insertAdjacentElement("afterend", box);
      else place.insertAdjacentElement("afterbegin", box);
    }
    box.tabIndex = -1;
    box.focus({ preventScroll: Boolean(place) });
  });

  // A live region marked data-said-once is left as it is when an answer brings the same words
  // (the class grid's "Hands up: …" comes with every change of its summary).
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    var fragment = event.detail.fragment;
    if (target && fragment && target.hasAttribute && target.hasAttribute("data-said-once") &&
        target.textContent === fragment.textContent) {
      event.detail.shouldSwap = false;
    }
  });

  // Copy buttons: data-copy names the element whose text is copied, data-copy-status the live
  // region that says so, data-copied what it says. They are hidden until the clipboard can be
  // written (a page without JavaScript, or on plain http, selects the text by hand).
  function showCopyButtons() {
    if (!navigator.clipboard) return;
    document.querySelectorAll("[data-copy][hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }
  document.addEventListener("DOMContentLoaded", showCopyButtons);
  document.addEventListener("htmx:afterSettle", showCopyButtons);
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button || !navigator.clipboard) return;
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-copy-status") || "");
    if (!source) return;
    var text = source.textContent;
    // Several lines are copied as a file is kept: ending with a newline.
    if (text.indexOf("\n") !== -1 && text.slice(-1) !== "\n") text += "\n";
    navigator.clipboard.writeText(text).then(
      function () {
        if (status) status.textContent = button.getAttribute("data-copied") || "Copied to the clipboard.";
      },
      function () {
        if (status) status.textContent = "Copying failed: select the text and copy it by hand.";
      }
    );
  });

  // The server shows times in the zone this cookie names (UTC without it), each with its
  // abbreviation; from the next page on they are on the reader's own clock.
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    // no Intl: the server's UTC, labelled as such
  }
  // IANA names ("Asia/Tokyo") are cookie-safe as they are; anything else is not a zone.
  var current = document.cookie.match(/(?:^|;\s*)tz=([^;]*)/);
  if (/^[A-Za-z0-9/_+-]{1,64}$/.test(zone) && (!current || current[1] !== zone)) {
    document.cookie =
      "tz=" + zone + "; path=/; max-age=31536000; samesite=lax" +
      (location.protocol === "https:" ? "; secure" : "");
    // This page was drawn on another clock (the first page a browser opens): its times are
    // put on the reader's, in the server's forms (14:05, 14:05:09, 2026-12-04 14:05).
    onReadersClock(zone);
  }

  function onReadersClock(zone) {
    // British English names CET and BST, American English EST and PST; the server's
    // abbreviations are these, so the one that is not a bare offset ("GMT+9") is taken.
    var formats = [];
    try {
      ["en-GB", "en-US"].forEach(function (locale) {
        formats.push(new Intl.DateTimeFormat(locale, {
          timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit",
          minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZoneName: "short"
        }));
      });
    } catch (error) {
      return; // a zone this browser cannot format: the page keeps the server's, labelled
    }
    var times = document.querySelectorAll("time[data-clock]");
    for (var i = 0; i < times.length; i++) {
      var moment = new Date(times[i].getAttribute("datetime"));
      if (isNaN(moment.getTime())) continue;
      var part = partsOf(formats[0], moment);
      var other = partsOf(formats[1], moment).timeZoneName;
      if (/^(GMT|UTC)[+\-\u2212]/.test(part.timeZoneName) && !/^(GMT|UTC)[+\-\u2212]/.test(other)) {
        part.timeZoneName = other;
      }
      var form = times[i].getAttribute("data-clock");
      var text = part.hour + ":" + part.minute + (form === "seconds" ? ":" + part.second : "");
      if (form === "date") text = part.year + "-" + part.month + "-" + part.day + " " + text;
      times[i].textContent = text + " " + part.timeZoneName;
    }
  }

  // The classroom bar is at the top of the page: a hint or an announcement that arrives while
  // the learner works further down is also said in a note pinned to the top of the window,
  // whose button scrolls to the bar (the bar's messages are a live region for screen readers).
  function newestMessage() {
    return document.querySelector("#bar-live .bar-message:not(.ended)");
  }
  function newestNews() {
    var message = newestMessage();
    return message ? message.textContent.replace(/\s+/g, " ").trim() : "";
  }
  var seenNews = null;
  var handWasUp = false;
  var endedWas = false;
  function handUp() { return Boolean(document.querySelector("#bar-live .hand-form.raised")); }
  function ended() { return Boolean(document.querySelector("#bar-live .bar-message.ended")); }
  document.addEventListener("DOMContentLoaded", function () {
    seenNews = newestNews();
    endedWas = ended();
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "bar-live") handWasUp = handUp();
  });
  // Said once, in the bar's lasting live region: the newest news, not the bar redrawn whole.
  function announce(text) {
    var region = document.getElementById("bar-announce");
    if (region && text) region.textContent = text;
  }
  function saidOf(message) {
    var kind = (message.querySelector("strong") || {}).textContent || "News";
    var words = message.cloneNode(true);
    words.querySelectorAll("strong, .bar-time, a").forEach(function (part) { part.remove(); });
    return { kind: kind, words: words.textContent.replace(/^[\s:]+/, "").trim() };
  }
  // (After the settle: until then htmx keeps the old attributes on elements of the same id,
  // such as the hand form's "raised" class.)
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "bar-live") return;
    var news = newestNews();
    var fresh = news && news !== seenNews;
    seenNews = news;
    var poll = (event.detail.requestConfig || {}).verb === "get";
    if (poll && handWasUp && !handUp() && !ended()) announce("Your instructor lowered your hand.");
    if (ended() && !endedWas) announce("This classroom has ended. Your work in it is read-only.");
    endedWas = ended();
    if (fresh) {
      var said = saidOf(newestMessage());
      announce(said.kind + ": " + said.words);
    }
    var bar = target.closest(".classroom-bar");
    if (!fresh || !bar) return;
    var box = bar.getBoundingClientRect();
    if (box.bottom > 0 && box.top < window.innerHeight) return;  // the bar is in sight
    showNews(bar, newestMessage());
  });
  function showNews(bar, message) {
    var note = document.getElementById("bar-news");
    if (!note) {
      note = document.createElement("aside");  // a landmark of its own, outside the page's
      note.setAttribute("aria-label", "News from your classroom");
      note.id = "bar-news";
      note.className = "bar-news";
      var text = document.createElement("p");
      var show = document.createElement("button");
      show.type = "button";
      show.className = "small primary";
      show.textContent = "Show";
      show.addEventListener("click", function () {
        note.hidden = true;
        bar.scrollIntoView({ block: "start" });
        var link = bar.querySelector(".bar-title a");
        if (link) link.focus({ preventScroll: true });
      });
      var close = document.createElement("button");
      close.type = "button";
      close.className = "small";
      close.setAttribute("aria-label", "Dismiss this note");
      close.textContent = "\u00d7";
      close.addEventListener("click", function () { note.hidden = true; });
      note.append(text, show, close);
      document.body.append(note);
      window.addEventListener("scroll", function () {
        var box = bar.getBoundingClientRect();
        if (!note.hidden && box.bottom > 0) note.hidden = true;
      }, { passive: true });
    }
    // "Hint for you: …", without the time the bar shows beside it.
    var said = saidOf(message);
    var kind = document.createElement("strong");
    kind.textContent = said.kind;
    note.querySelector("p").replaceChildren(kind, ": " + said.words);
    note.hidden = false;
  }

  function partsOf(format, moment) {
    var part = {};
    format.formatToParts(moment).forEach(function (p) { part[p.type] = p.value; });
    return part;
  }
})();
