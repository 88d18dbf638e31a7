// Small progressive enhancements shared by every page. Pages work without it.
(function () {
  "use strict";
  // Styles can tell the page has JavaScript: controls only needed without it are hidden.
  document.documentElement.classList.add("js");
})();
