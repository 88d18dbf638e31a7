// Pod builder enhancements. The page works without this file; it adds copy to clipboard,
// focus links that open the section holding a field, aria-invalid after htmx swaps, and
// remembers which sections are open when htmx redraws the form.
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

  function showCopyButtons() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      if (navigator.clipboard) button.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    const copy = event.target.closest("[data-copy]");
    if (copy) {
      const source = document.getElementById(copy.dataset.copy);
      const status = document.getElementById("copy-status");
      navigator.clipboard.writeText(source.textContent + "\n").then(
        function () { if (status) status.textContent = "YAML copied to the clipboard."; },
        function () { if (status) status.textContent = "Copying failed: select the YAML and copy it by hand."; }
      );
      return;
    }
    const link = event.target.closest(".focus-link");
    if (link) {
      let target = document.getElementById(link.dataset.focus);
      if (!target) return;
      if (!/^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(target.tagName)) {
        target = target.querySelector("input:not([type=hidden]), select, textarea") || target;
      }
      event.preventDefault();
      openAncestors(target);
      target.scrollIntoView({ block: "center" });
      target.focus({ preventScroll: true });
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "builder") rememberOpen();
  });
  document.addEventListener("htmx:afterSettle", function () {
    restoreOpen();
    syncInvalid(document);
    showCopyButtons();
  });
  document.addEventListener("DOMContentLoaded", function () {
    showCopyButtons();
  });
})();
