// Lesson page enhancements. Everything works without this file.
(function () {
  "use strict";

  // The lifecycle stepper: changing the story or the restart policy shows it at once.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement)) return;
    var form = select.closest(".stepper-form");
    if (!form || typeof form.requestSubmit !== "function") return;
    // A form htmx has just swapped in may not be wired up yet: wire it first, so the change is
    // answered in place rather than by loading the page.
    if (window.htmx) window.htmx.process(form);
    form.requestSubmit();
  });
})();
