// Builder start page: when an import was refused, bring the import box and its error into view
// and put the caret in it. Without JavaScript the textarea's autofocus does the same; the
// error's role="alert" announces it either way.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    const error = document.getElementById("import-error");
    if (!error) return;
    (document.getElementById("import") || error).scrollIntoView({ block: "start" });
    const upload = document.getElementById("import-upload");
    const box = upload && upload.getAttribute("aria-invalid") === "true"
      ? upload : document.getElementById("import-yaml");
    if (box) box.focus({ preventScroll: true });
  });

  // A file larger than a design may be is refused here, at the file input, before it is sent
  // (the server would refuse it too, with a page of its own past its request limit).
  document.addEventListener("change", function (event) {
    const input = event.target;
    if (!input || input.id !== "import-upload") return;
    const most = Number(input.dataset.maxBytes || 0);
    const file = input.files && input.files[0];
    let error = document.getElementById("import-error");
    if (!file || !most || file.size <= most) {
      if (error && error.dataset.client) error.remove();
      input.removeAttribute("aria-invalid");
      return;
    }
    if (!error) {
      error = document.createElement("p");
      error.id = "import-error";
      error.className = "field-error import-error";
      error.setAttribute("role", "alert");
      const label = input.form.querySelector('label[for="import-upload"]');
      label.parentNode.insertBefore(error, label);
    }
    error.dataset.client = "1";
    error.textContent = "Cannot import " + file.name + ": the file is larger than " +
      Math.floor(most / 1024) + " KiB, the most a design can be.";
    input.value = "";
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", "import-error");
    input.focus();
  });
})();
