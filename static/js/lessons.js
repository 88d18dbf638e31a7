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

  // The practice round's timer: counts down to the round's end, which the server keeps.
  function tick() {
    document.querySelectorAll("[data-ends-at]").forEach(function (timer) {
      var left = Math.max(0, Math.round((Date.parse(timer.dataset.endsAt) - Date.now()) / 1000));
      var minutes = Math.floor(left / 60), seconds = left % 60;
      timer.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds + " left";
      if (left === 0 && !timer.dataset.done) {
        timer.dataset.done = "1";
        var form = document.getElementById(timer.dataset.finishForm);
        if (form) form.submit();
      }
    });
  }
  if (document.querySelector("[data-ends-at]")) {
    tick();
    window.setInterval(tick, 1000);
  }
})();
