// Builder start page: when an import was refused, bring the import box and its error into view
// and put the caret in it. Without JavaScript the textarea's autofocus does the same; the
// error's role="alert" announces it either way.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    const error = document.getElementById("import-error");
    if (!error) return;
    (document.getElementById("import") || error).scrollIntoView({ block: "start" });
    const box = document.getElementById("import-yaml");
    if (box) box.focus({ preventScroll: true });
  });
})();
