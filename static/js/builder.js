// Pod builder enhancements. The page works without this file; it adds focus links that open the section holding a field, aria-invalid after htmx swaps, keeps the
// author's place (open sections, focus) when an Add, Remove or Move redraws one list, lets list
// titles follow the names being typed, and moves a tag typed with an image into the tag box.
(function () {
  "use strict";
  document.documentElement.classList.add("builder-js");

  function openAncestors(element) {
    for (let node = element.parentElement; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
  }

  function syncInvalid(root) {
    root.querySelectorAll(".field-error[id^='err-']").forEach(function (slot) {
      const input = document.getElementById(slot.id.slice(4));
      if (!input || !/^(INPUT|SELECT|TEXTAREA)$/.test(input.tagName)) return;
      if (slot.textContent.trim()) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    });
  }

  const openSections = new Set();
  function rememberOpen() {
    openSections.clear();
    document.querySelectorAll("#builder-form details[id]").forEach(function (details) {
      if (details.open) openSections.add(details.id);
    });
  }
  function restoreOpen() {
    openSections.forEach(function (id) {
      const details = document.getElementById(id);
      if (details) details.open = true;
    });
  }

  function goToField(id) {
    let target = id && document.getElementById(id);
    if (!target) return false;
    if (!/^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(target.tagName)) {
      target = target.querySelector("input:not([type=hidden]), select, textarea") || target;
    }
    openAncestors(target);
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
    return true;
  }
  document.addEventListener("click", function (event) {
    const link = event.target.closest(".focus-link");
    if (link && goToField(link.dataset.focus)) event.preventDefault();
    // The status bar's "2 problems": to the first problem's field, when the form has one (else
    // the link goes to the list of problems).
    const badge = event.target.closest("[data-first-problem]");
    const first = badge && document.querySelector("#pv-problems .focus-link");
    if (first && goToField(first.dataset.focus)) event.preventDefault();
  });

  // The form's status line ("Removed port 8080. Undo", "Now a Pod."): what the last button did.
  // Once the author edits on, it is old news, and it only covers the form: it goes at the next
  // edit (Undo with it; a removal's Undo stays offered until then), or with its close button.
  let lastField = null;  // where focus goes back when the line is closed
  document.addEventListener("focusin", function (event) {
    const field = event.target;
    if (field.form && field.form.id === "builder-form" && /^(INPUT|SELECT|TEXTAREA)$/.test(field.tagName)) {
      lastField = field;
    }
  });
  function clearFormStatus(form) {
    const status = form && form.querySelector("#form-status");
    if (status && status.textContent.trim()) status.textContent = "";
    // A change of kind's Undo (beside the Kind picker) goes with its message.
    const kindUndo = form && form.querySelector("#undo-kind-button");
    if (kindUndo) kindUndo.remove();
  }
  function editClearsStatus(event) {
    const field = event.target;
    // (Only in the field's own form: a builder drawn anew fires "change" on the old one.)
    if (field && field.form && field.form.id === "builder-form") clearFormStatus(field.form);
  }
  document.addEventListener("input", editClearsStatus);
  document.addEventListener("change", editClearsStatus);
  document.addEventListener("click", function (event) {
    const close = event.target.closest(".status-close");
    if (!close) return;
    const form = close.closest("form");
    clearFormStatus(form);
    const back = lastField && lastField.isConnected ? lastField
      : form && form.querySelector("input:not([type=hidden]), select, textarea");
    if (back) back.focus();
  });

  // Undo (after a Remove or a change of kind) from anywhere in the page: Alt+Shift+Z, which
  // the line shows. Its button is in the status line at the top of the form, dozens of Tabs
  // back from a Remove far down it.
  document.addEventListener("keydown", function (event) {
    if (event.code !== "KeyZ" || !event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) return;
    const undo = document.getElementById("undo-button") || document.getElementById("undo-kind-button");
    if (!undo || !undo.form || undo.form.id !== "builder-form") return;
    event.preventDefault();
    undo.click();
  });

  // Choosing a kind changes nothing until "Change kind" is pressed: the picker says so.
  document.addEventListener("change", function (event) {
    const select = event.target;
    if (!select || select.id !== "f-kind") return;
    const picker = select.closest(".kind-picker");
    const hint = picker && picker.querySelector("#kind-pending");
    const button = picker && picker.querySelector("#kind-button");
    if (!hint) return;
    const current = Array.from(select.options).find(function (option) { return option.defaultSelected; });
    const pending = current && select.value !== current.value;
    hint.textContent = pending
      ? "Not changed yet: press Change kind to make this " + current.value + " a " + select.value + "."
      : "";
    if (button) button.classList.toggle("primary", Boolean(pending));
  });

  // Live preview: send only the fields edited since the last answer. The server applies posted
  // paths to the saved manifest and leaves every other field as it is, so a keystroke costs one
  // field, not the whole form. A submit (a button, or no JavaScript at all) still posts it all.
  // name -> how many edits it has had; a field stays dirty until an answer covers its last edit.
  const dirty = new Map();
  let inFlight = new Map();
  function baseName(name) { return name.split("@")[0]; }
  // Each request carries this page's id and its number ("_edit"): the server saves nothing
  // older than what it has saved from this page, so a request replaced by a newer keystroke,
  // which the server may still be running, cannot land over it.
  const editPage = Array.from(crypto.getRandomValues(new Uint8Array(8)), function (byte) {
    return byte.toString(16).padStart(2, "0");
  }).join("");
  let editSeq = 0;
  function markEdit(parameters) {
    editSeq += 1;
    const mark = editPage + ":" + editSeq;
    if (parameters instanceof FormData) parameters.set("_edit", mark);
    else parameters._edit = mark;
  }

  // An image typed with its tag ("redis:7.2"): on leaving the box, the tag goes to the tag box,
  // as the server reads it (the tag typed with the image wins). Runs before htmx reads the form.
  // The images a new container or init container starts with (edit._new_item), and their tags.
  const NEW_ENTRY_TAGS = { nginx: "1.27", busybox: "1.36" };
  function splitImage(event) {
    const input = event.target;
    if (!input || input.tagName !== "INPUT" || input.classList.contains("tag")) return;
    const pair = input.closest(".image-pair");
    const tagBox = pair && pair.querySelector("input.tag");
    if (!tagBox) return;
    const text = input.value.trim();
    const colon = text.lastIndexOf(":");
    if (text.indexOf("@") >= 0) return;
    if (colon <= 0) {
      // A new entry's image as the builder made it (nginx 1.27), retyped as another image: its
      // tag belonged to the first one (httpd:1.27 does not exist), so the box is emptied.
      const made = NEW_ENTRY_TAGS[input.defaultValue];
      if (made && made === tagBox.defaultValue && tagBox.value === made && text !== input.defaultValue) {
        tagBox.value = "";
      }
      return;
    }
    const tag = text.slice(colon + 1);
    if (!tag || tag.indexOf("/") >= 0) return;
    input.value = text.slice(0, colon);
    tagBox.value = tag;
  }
  document.addEventListener("change", splitImage, true);

  // List titles follow the name typed in their entry ("Container 2: web"), and so do the
  // names of the entry's Move and Remove buttons.
  function followName(event) {
    const input = event.target;
    if (!input || !input.id) return;
    // Only in the input's own builder: when the builder is drawn again, the new one goes in
    // before the old one leaves, and the old field fires "change" as it goes.
    const builder = input.closest("#builder") || document;
    builder.querySelectorAll("legend[data-name-from]").forEach(function (legend) {
      if (legend.dataset.nameFrom !== input.id) return;
      const name = input.value.trim();
      const title = legend.dataset.baseTitle + (name ? ": " + name : "");
      if (legend.textContent !== title) legend.textContent = title;
      const fieldset = legend.parentElement;
      fieldset.querySelectorAll(":scope > .item-actions [data-label]").forEach(function (button) {
        button.setAttribute("aria-label", button.dataset.label.replace("{}", title));
      });
    });
    const heading = builder.querySelector(".builder-head .pod-name");
    if (heading && input.id === "f-metadata-name") {
      heading.textContent = input.value.trim() || "(unnamed)";
    }
  }
  document.addEventListener("input", followName);
  document.addEventListener("change", followName);
  let editCount = 0;  // every edit made on this page
  function markDirty(event) {
    const field = event.target;
    if (field && field.name && field.form && field.form.id === "builder-form") {
      editCount += 1;
      const base = baseName(field.name);
      dirty.set(base, (dirty.get(base) || 0) + 1);
    }
  }
  document.addEventListener("input", markDirty, true);
  // While the author types, the status line ("1 problem", "Valid, QoS Burstable…") changes at
  // nearly every key: its live region is marked busy, so a screen reader says where it ended up
  // once typing pauses, not every state on the way.
  let typingPause = null;
  document.addEventListener("input", function (event) {
    const status = document.getElementById("pv-status");
    if (!status || !event.target.form || event.target.form.id !== "builder-form") return;
    status.setAttribute("aria-busy", "true");
    clearTimeout(typingPause);
    typingPause = setTimeout(function () {
      const current = document.getElementById("pv-status");
      if (current) current.removeAttribute("aria-busy");
    }, 1000);
  }, true);

  document.addEventListener("change", markDirty, true);
  // Fields every save posts, edited or not: the rest go only once edited.
  const ALWAYS_SENT = new Set(["csrfmiddlewaretoken", "_shown_errors", "_shown_sections", "_edit", "_base"]);
  document.addEventListener("htmx:configRequest", function (event) {
    const form = event.detail.elt;
    const trigger = event.detail.triggeringEvent;
    if (!form || form.id !== "builder-form") return;
    const parameters = event.detail.parameters;
    markEdit(parameters);
    savingSoon();
    if (!trigger || trigger.type === "submit") {
      inFlight = new Map(dirty);  // a submit posts every field: its answer covers every edit
      return;
    }
    const isFormData = parameters instanceof FormData;
    const names = isFormData ? Array.from(new Set(parameters.keys())) : Object.keys(parameters);
    inFlight = new Map();
    names.forEach(function (name) {
      const base = baseName(name);
      if (dirty.has(base)) { inFlight.set(base, dirty.get(base)); return; }
      if (ALWAYS_SENT.has(name)) return;
      if (isFormData) parameters.delete(name);
      else delete parameters[name];
    });
  });
  // The request's own element: when its answer replaced the whole builder (a change of kind,
  // a design copied from someone else's), htmx tells a parent still on the page instead.
  function requestForm(event) {
    const config = event.detail.requestConfig;
    return (config && config.elt) || event.detail.elt;
  }
  document.addEventListener("htmx:afterRequest", function (event) {
    const form = requestForm(event);
    if (!form || form.id !== "builder-form") return;
    if (!event.detail.successful) {
      // Network errors and time-outs come as their own events; an aborted request (replaced by
      // a newer keystroke) is no failure at all.
      const xhr = event.detail.xhr;
      if (xhr && xhr.status >= 400) saveFailed(form, xhr);
      return;
    }
    // Not saved, as older than an edit saved already: nothing of this answer is news.
    if (event.detail.xhr && event.detail.xhr.getResponseHeader("Podstudio-Stale")) return;
    // A field edited again while the request was on its way stays dirty for the next one.
    inFlight.forEach(function (edits, name) {
      if (dirty.get(name) === edits) dirty.delete(name);
    });
    inFlight = new Map();
    saveSucceeded(event.detail.xhr);
  });

  // Never lose an edit: a save that fails (server down, network gone, a server error) keeps its
  // fields dirty, marks the preview stale and is retried, waiting longer each time, until it
  // succeeds. Leaving the page while an edit is unsaved asks first.
  let retryDelay = 0;
  let retryTimer = null;
  let stale = false;
  function setStatus(text, className) {
    const status = document.getElementById("save-status");
    if (!status) return;
    status.className = "save-status" + (className ? " " + className : "");
    if (status.textContent !== text) status.textContent = text;
  }
  function markStale(on) {
    stale = on;
    const preview = document.getElementById("preview");
    if (preview) {
      preview.classList.toggle("stale", on);
      if (on) preview.setAttribute("aria-busy", "true");
      else preview.removeAttribute("aria-busy");
    }
  }
  // "Saved." stays up while a save is quick; one still on its way after half a second says
  // "Saving…" instead, so the status never claims a save that has not happened yet. The half
  // second counts from the first request not yet answered: typing on (each keystroke replacing
  // the request before) must not keep "Saved." up while nothing is saved.
  let savingTimer = null;
  function savingSoon() {
    if (savingTimer !== null) return;
    savingTimer = setTimeout(function () {
      savingTimer = null;
      const status = document.getElementById("save-status");
      if (status && !status.classList.contains("stale") && !status.classList.contains("refused")) {
        setStatus("Saving…", "");
      }
    }, 500);
  }
  function stopSavingTimer() {
    clearTimeout(savingTimer);
    savingTimer = null;
  }
  function saveFailed(form, xhr) {
    stopSavingTimer();
    const code = xhr ? xhr.status : 0;
    const limited = code === 429 && xhr.getResponseHeader("Podstudio-Refused");
    if (limited) {
      // Too many new designs from this network (a copy is one): the edits stay on this page
      // and are sent again once the server's wait is over.
      markStale(true);
      setStatus(limited + " Your edits stay on this page and are sent again then.", "refused");
      const wait = parseInt(xhr.getResponseHeader("Retry-After"), 10) || 60;
      clearTimeout(retryTimer);
      retryTimer = setTimeout(function () {
        retryTimer = null;
        const current = document.getElementById("builder-form") || form;
        if (dirty.size) htmx.trigger(current, "change");
      }, Math.min(wait, 3600) * 1000);
      return;
    }
    if (code === 413 || (code >= 400 && code < 500 && code !== 408 && code !== 429)) {
      markStale(true);
      const said = xhr.getResponseHeader("Podstudio-Refused");
      setStatus(said ? "Not saved. " + said : "Not saved: the server refused this change (HTTP " + code + "). Reload the page to see what is saved.", "refused");
      return;
    }
    markStale(true);
    // The wait grows with each retry that fails, not with each keystroke typed meanwhile
    // (those fail too, while a retry is already waiting).
    if (retryTimer === null) {
      retryDelay = Math.min(retryDelay ? retryDelay * 2 : 1000, 15000);
      retryTimer = setTimeout(retrySave, retryDelay);
    }
    setStatus("Not saved yet: the server cannot be reached. Retrying in " + Math.round(retryDelay / 1000) + " s… The preview is out of date until then.", "stale");
  }
  function retrySave() {
    clearTimeout(retryTimer);
    retryTimer = null;
    const current = document.getElementById("builder-form");  // (drawn again since?)
    if (current && dirty.size) htmx.trigger(current, "change");
  }
  // Back online: no need to wait out the retry's delay.
  window.addEventListener("online", function () {
    const status = document.getElementById("save-status");
    if (retryTimer !== null && status && status.classList.contains("stale")) retrySave();
  });
  function saveSucceeded(xhr) {
    stopSavingTimer();
    clearTimeout(retryTimer);
    retryTimer = null;
    retryDelay = 0;
    if (stale) markStale(false);
    const refused = xhr && xhr.getResponseHeader("Podstudio-Not-Saved");
    if (refused) setStatus(refused, "refused");
    else setStatus("Saved.", "");
  }
  ["htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      const form = requestForm(event);
      if (form && form.id === "builder-form") saveFailed(form, null);
    });
  });
  // Back to this tab: if the design was saved from somewhere else meanwhile (another tab, an
  // instructor's reset), the builder is drawn again before the author types into an
  // out-of-date form, whose edit the server would refuse.
  let checkingFresh = false;
  function checkFresh() {
    const form = document.getElementById("builder-form");
    const base = document.getElementById("design-base");
    if (!form || !base || checkingFresh || dirty.size || inFlight.size) return;
    const query = "?base=" + encodeURIComponent(base.value) + "&page=" + editPage;
    checkingFresh = true;
    fetch(form.dataset.freshUrl + query, { credentials: "same-origin" })
      .then(function (response) {
        if (response.status !== 200 || dirty.size) return null;
        return htmx.ajax("GET", form.dataset.designUrl + "?elsewhere=1", {
          target: "#builder", swap: "outerHTML", select: "#builder",
        });
      })
      .catch(function () { /* offline: the next edit finds out */ })
      .finally(function () { checkingFresh = false; });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") checkFresh();
  });
  window.addEventListener("focus", checkFresh);

  window.addEventListener("beforeunload", function (event) {
    if (stale && dirty.size) { event.preventDefault(); event.returnValue = ""; }
  });

  // Leaving the page (a reload, closing the tab, another page) within the save's 120 ms delay
  // of an edit: the edit goes at once, as a beacon that outlives the page, with the fields the
  // delayed request would post and the next edit number. The server saves it as it saves a form
  // posted without JavaScript (its redirect is followed and thrown away). "beforeunload" comes
  // before a reload asks for the page again; "pagehide" and a hidden tab are for the browsers
  // (on phones) that skip it.
  let beaconedAt = 0;  // editCount when the last beacon went: the same edits go only once
  const BEACON_KEY = "podstudio-beacon";
  function sendPending() {
    const form = document.getElementById("builder-form");
    if (!form || !dirty.size || editCount === beaconedAt || !navigator.sendBeacon) return;
    const data = new FormData(form);
    Array.from(new Set(data.keys())).forEach(function (name) {
      if (!dirty.has(baseName(name)) && !ALWAYS_SENT.has(name)) data.delete(name);
    });
    markEdit(data);
    // (form.action would be its "action" buttons.)
    if (!navigator.sendBeacon(form.getAttribute("action"), data)) return;
    beaconedAt = editCount;
    try {
      sessionStorage.setItem(BEACON_KEY, JSON.stringify({ url: form.dataset.designUrl, at: Date.now() }));
    } catch (error) { /* no storage: the next page may show the design without this edit */ }
  }
  window.addEventListener("beforeunload", function () {
    if (!stale) sendPending();  // (a stale page asks first: its server cannot be reached)
  });
  window.addEventListener("pagehide", sendPending);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") sendPending();
  });
  // The page that comes next may have been drawn before the beacon was saved (the server
  // answers requests side by side): if this design's last page sent one a moment ago, the
  // builder is drawn again once it is in, before the author types into the older form.
  function catchUp(triesLeft) {
    const form = document.getElementById("builder-form");
    const base = document.getElementById("design-base");
    if (!form || !base || dirty.size || inFlight.size) return;
    const query = "?base=" + encodeURIComponent(base.value) + "&page=" + editPage;
    fetch(form.dataset.freshUrl + query, { credentials: "same-origin" })
      .then(function (response) {
        if (dirty.size) return;
        if (response.status === 200) {
          htmx.ajax("GET", form.dataset.designUrl, { target: "#builder", swap: "outerHTML", select: "#builder" });
        } else if (triesLeft > 0) {
          setTimeout(function () { catchUp(triesLeft - 1); }, 200);
        }
      })
      .catch(function () { /* offline: the next edit finds out */ });
  }
  function catchUpWithBeacon() {
    const form = document.getElementById("builder-form");
    let sent = null;
    try {
      sent = JSON.parse(sessionStorage.getItem(BEACON_KEY) || "null");
      sessionStorage.removeItem(BEACON_KEY);
    } catch (error) { return; }
    if (form && sent && sent.url === form.dataset.designUrl && Date.now() - sent.at < 10000) catchUp(15);
  }

  // Keeping the author's place when an Add, Remove, Move or Undo redraws one list: the answer
  // says (in a builder:place event) which list changed, how its entries were renumbered and
  // what to focus: the new entry's first field, the next entry, or the list's Add button.
  let openBefore = null;  // details id -> open, taken before the swap
  let scrollBefore = null;  // the page stays where it was: only the list below the author changed
  function renumbered(id, place) {
    const prefix = place.list + "_";
    const at = id.indexOf(prefix);
    if (at < 0) return id;
    const rest = id.slice(at + prefix.length);
    const match = /^(\d+)(?=$|[-_])/.exec(rest);
    if (!match) return id;
    let index = parseInt(match[1], 10);
    if (place.removed !== undefined) {
      if (index === place.removed) return null;
      if (index > place.removed) index -= 1;
    } else if (place.inserted !== undefined) {
      if (index >= place.inserted) index += 1;
    } else if (place.moved) {
      if (index === place.moved[0]) index = place.moved[1];
      else if (index === place.moved[1]) index = place.moved[0];
    }
    return id.slice(0, at) + prefix + index + rest.slice(match[1].length);
  }
  function firstField(element) {
    if (/^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(element.tagName)) return element;
    // A box to type in first (an init container's Name, not its "Native sidecar" checkbox).
    const typed = element.querySelector(
      ".fields input:not([type=hidden]):not([type=checkbox]):not([type=radio])"
    );
    if (typed) return typed;
    return element.querySelector(
      ".fields input:not([type=hidden]), .fields select, .fields textarea"
    ) || element.querySelector("input:not([type=hidden]), select, textarea, button") || element;
  }
  function keepScroll() {
    if (scrollBefore !== null && window.scrollY !== scrollBefore) window.scrollTo(window.scrollX, scrollBefore);
  }
  function keepPlace(place) {
    keepScroll();
    scrollBefore = null;
    if (openBefore) {
      openBefore.forEach(function (open, id) {
        const now = renumbered(id, place);
        const details = now && document.getElementById(now);
        if (details && details.tagName === "DETAILS") details.open = open;
      });
      openBefore = null;
    }
    const element = place.focus && document.getElementById(place.focus);
    if (!element) return;
    const target = firstField(element);
    openAncestors(target);
    target.focus({ preventScroll: true });
    // A new entry's first field holds a default ("app-1"): selected, what is typed replaces it.
    const added = place.list && place.removed === undefined && place.moved === undefined && place.inserted === undefined;
    if (added && target.tagName === "INPUT" && target.type === "text") target.select();
    target.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("builder:place", function (event) { keepPlace(event.detail); });

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "builder") {
      rememberOpen();
      scrollBefore = window.scrollY;  // the form is drawn anew: the page stays where it was
    }
    const xhr = event.detail.xhr;
    const after = xhr && xhr.getResponseHeader("HX-Trigger-After-Settle");
    if (after && after.indexOf("builder:place") >= 0) {
      openBefore = new Map();
      document.querySelectorAll("#builder-form details[id]").forEach(function (details) {
        openBefore.set(details.id, details.open);
      });
      // The browser's scroll anchoring may pick an anchor below the list and follow it down.
      scrollBefore = window.scrollY;
    }
  });
  document.addEventListener("htmx:oobAfterSwap", keepScroll);
  // A field's note (a live region: "Read 0.5 as 500m") comes with every answer for that field;
  // the same words again are left as they are, or a screen reader says them at each keystroke,
  // at Tab and at "Go to field".
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    const target = event.detail.target;
    const fragment = event.detail.fragment;
    if (!target || !target.classList || !target.classList.contains("field-note") || !fragment) return;
    if (target.textContent === fragment.textContent) event.detail.shouldSwap = false;
  });
  document.addEventListener("htmx:afterSwap", function () {
    keepScroll();
    if (!openBefore) scrollBefore = null;  // else builder:place still needs it
  });
  // A status drawn with the builder (it was drawn again) is new to the page, and a screen
  // reader says nothing of a live region that arrives already filled: it is filled again.
  function announceDrawnStatus() {
    const status = document.querySelector("#save-status[data-announce]");
    if (!status) return;
    status.removeAttribute("data-announce");
    // Drawn with the design as the server has it: the edits this page had pending are gone with
    // the old form (the status says so), and are not sent again.
    dirty.clear();
    inFlight = new Map();
    const text = status.textContent;
    status.textContent = "";
    setTimeout(function () {
      if (status.textContent === "") status.textContent = text;  // unless a newer answer spoke
    }, 100);
  }
  // So is the form's status line drawn with the builder ("Now a Deployment. … Undo"): its
  // contents (the Undo button too) are put back a moment later, so that it is said.
  function announceDrawnFormStatus() {
    const status = document.querySelector("#form-status[data-announce]");
    if (!status) return;
    status.removeAttribute("data-announce");
    const nodes = Array.from(status.childNodes);
    if (!nodes.length) return;
    status.replaceChildren();
    const editsBefore = editCount;
    setTimeout(function () {
      // Not after an edit made meanwhile: an edit takes the message (and its Undo) away.
      if (!status.childNodes.length && editCount === editsBefore) {
        status.replaceChildren.apply(status, nodes);
      }
    }, 100);
  }
  // Goal progress is said by a live region that stays in the page (#goals-live), and only when
  // the number of goals met changes: the goals' own section is swapped anew at each change.
  let goalsSaid = null;  // the summary the page shows (or has said)
  let goalsRegion = null;
  function goalsSummary() {
    const goals = document.querySelectorAll("#pv-goals .goal").length;
    if (!goals) return null;
    const met = document.querySelectorAll("#pv-goals .goal.pass").length;
    return met === goals ? "All goals met: exercise complete" : met + " of " + goals + " goals met";
  }
  function announceGoals() {
    const region = document.getElementById("goals-live");
    const summary = goalsSummary();
    if (!region || summary === null) return;
    const drawn = region !== goalsRegion;  // drawn with the builder: new to the page
    goalsRegion = region;
    if (goalsSaid === null || summary === goalsSaid) {
      goalsSaid = summary;  // the page as first drawn, or no goal met or lost: nothing to say
      return;
    }
    goalsSaid = summary;
    if (!drawn) { region.textContent = summary; return; }
    // A screen reader says nothing of a live region that arrives already filled.
    setTimeout(function () { if (region.isConnected) region.textContent = goalsSaid; }, 100);
  }
  document.addEventListener("htmx:oobAfterSwap", announceGoals);

  // On a phone the status bar is fixed at the bottom of the screen, and grows with the goals or
  // a second line of badges: the page keeps room for it (builder.css, --status-bar-height).
  let watchedBar = null;
  const barSizes = window.ResizeObserver ? new ResizeObserver(function (entries) {
    const height = Math.ceil(entries[entries.length - 1].target.getBoundingClientRect().height);
    document.documentElement.style.setProperty("--status-bar-height", height + "px");
  }) : null;
  function watchStatusBar() {
    const bar = document.getElementById("status-bar");
    if (!barSizes || !bar || bar === watchedBar) return;
    if (watchedBar) barSizes.unobserve(watchedBar);
    watchedBar = bar;
    barSizes.observe(bar);
  }

  // On a phone, a class's learner reaches Raise hand from the status bar: its link takes them to
  // the classroom bar's hand form at the top of the page, its field focused; its words follow
  // the hand as the bar's answers change it (raised here, or lowered by the instructor).
  function syncHand() {
    const link = document.getElementById("status-hand");
    if (!link) return;
    link.hidden = !document.getElementById("hand-form");  // the class has ended
    const raised = Boolean(document.querySelector(".hand-form.raised"));
    link.textContent = raised ? "Hand up" : "Raise hand";
    link.classList.toggle("warn", raised);
    link.classList.toggle("info", !raised);
  }
  document.addEventListener("click", function (event) {
    const link = event.target.closest ? event.target.closest("#status-hand") : null;
    const form = document.getElementById("hand-form");
    if (!link || !form) return;
    event.preventDefault();
    const target = form.querySelector("#hand-message") || form.querySelector("button");
    form.scrollIntoView({ block: "center" });
    if (target) target.focus({ preventScroll: true });
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    // News in the classroom bar may be the instructor's reset of this very design.
    if (event.detail && event.detail.elt && event.detail.elt.id === "bar-live") checkFresh();
    syncHand();
    announceDrawnStatus();
    announceDrawnFormStatus();
    announceGoals();
    watchStatusBar();
    restoreOpen();
    openSections.clear();
    syncInvalid(document);
  });
  document.addEventListener("DOMContentLoaded", function () {
    announceGoals();
    watchStatusBar();
    catchUpWithBeacon();
  });
})();
