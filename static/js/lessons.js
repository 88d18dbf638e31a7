// Lesson page enhancements. Everything works without this file.
(function () {
  "use strict";

  // The lifecycle stepper: changing the story or the restart policy shows it at once.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement)) return;
    var form = select.closest(".stepper-form");
    if (form && typeof form.requestSubmit === "function") form.requestSubmit();
  });
})();
