/* On small screens the section navigation, the booking pages' day strip and the schedule's service tabs
   scroll sideways in one row (portal.css). Bring the current one into view, so it is never hidden off the edge. */
(function () {
  "use strict";
  function centre() {
    var strips = document.querySelectorAll(".portal-nav__list, .day-strip, .tabs");
    for (var i = 0; i < strips.length; i++) {
      var strip = strips[i];
      var current = strip.querySelector("[aria-current]");
      if (!current || strip.scrollWidth <= strip.clientWidth) { continue; }
      // Horizontal only: scrollIntoView could also scroll the page down to the strip.
      var box = current.getBoundingClientRect();
      strip.scrollLeft += box.left - strip.getBoundingClientRect().left - Math.max(0, strip.clientWidth - box.width) / 2;
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", centre);
  } else {
    centre();
  }
}());
