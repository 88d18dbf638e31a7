// Small progressive enhancements shared by every page. Pages work without it.
(function () {
  "use strict";
  // Styles can tell the page has JavaScript: controls only needed without it are hidden.
  document.documentElement.classList.add("js");

  // The server shows times in the zone this cookie names (UTC without it), each with its
  // abbreviation; from the next page on they are on the reader's own clock.
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    // no Intl: the server's UTC, labelled as such
  }
  // IANA names ("Asia/Tokyo") are cookie-safe as they are; anything else is not a zone.
  var current = document.cookie.match(/(?:^|;\s*)tz=([^;]*)/);
  if (/^[A-Za-z0-9/_+-]{1,64}$/.test(zone) && (!current || current[1] !== zone)) {
    document.cookie =
      "tz=" + zone + "; path=/; max-age=31536000; samesite=lax" +
      (location.protocol === "https:" ? "; secure" : "");
  }
})();
