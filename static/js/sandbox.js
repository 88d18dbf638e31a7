// Sandbox panel: poll the live status only while the panel is open and the tab is visible,
// and refresh it at once when the panel opens. Without JavaScript the panel's forms and the
// "Refresh" link do the same work as full pages.
(function () {
  "use strict";

  function isPollingRegion(element) {
    return element && element.matches && element.matches("[data-sandbox-poll]");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var element = event.detail.elt;
    if (!isPollingRegion(element)) return;
    var panel = element.closest("details");
    if (document.hidden || (panel && !panel.open)) event.preventDefault();
  });

  // "toggle" does not bubble, so listen in the capture phase.
  document.addEventListener("toggle", function (event) {
    var panel = event.target;
    if (!panel.matches || !panel.matches("details[data-sandbox-panel]") || !panel.open) return;
    var region = panel.querySelector("[data-sandbox-poll]");
    if (region && window.htmx) window.htmx.trigger(region, "sandbox-refresh");
  }, true);

  // htmx leaves 4xx and 5xx answers out of the page; in the panel they carry the sentence the
  // learner needs ("slow down, try again in 20 s", "there is no manifest to send"), so show them.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var status = event.detail.xhr && event.detail.xhr.status;
    if (!target || !target.closest || !target.closest("#sandbox-panel")) return;
    if (status === 400 || status === 429 || status === 503) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // While the API server is being asked the action buttons say so (a slow answer is visible)
  // and another press is dropped (hx-sync). They are not disabled: a disabled button loses
  // the keyboard focus to the page, and the learner their place.
  function busy(event, on) {
    var form = event.detail.elt.closest && event.detail.elt.closest(".sandbox-actions");
    if (!form) return;
    form.classList.toggle("busy", on);
    form.querySelectorAll("button").forEach(function (button) {
      if (on) button.setAttribute("aria-disabled", "true");
      else button.removeAttribute("aria-disabled");
    });
  }
  document.addEventListener("htmx:beforeRequest", function (event) { busy(event, true); });
  document.addEventListener("htmx:afterRequest", function (event) { busy(event, false); });

  // An action's answer redraws what was pressed (a row's Delete goes with its row when the list
  // is read again): if the keyboard focus went with it, it comes back to the button if it is
  // still there, else to the answer. Only for a while after the action, so that a poll never
  // takes the focus from somewhere the learner went since.
  var actor = null;
  var actedAt = 0;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var element = event.detail.elt;
    var panel = element.closest && element.closest("#sandbox-panel");
    if (!panel || isPollingRegion(element) || element.id === "sandbox-everything") return;
    actor = document.activeElement && panel.contains(document.activeElement) ? document.activeElement : null;
    actedAt = Date.now();
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!actor || Date.now() - actedAt > 10000) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    var back = actor.isConnected ? actor : document.getElementById("sandbox-result");
    if (back) back.focus({ preventScroll: actor.isConnected });
  });
})();
