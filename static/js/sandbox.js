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

  // Disable the action buttons while the API server is being asked, so a slow answer is visible.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt.closest && event.detail.elt.closest(".sandbox-actions");
    if (form) form.classList.add("busy");
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt.closest && event.detail.elt.closest(".sandbox-actions");
    if (form) form.classList.remove("busy");
  });
})();
