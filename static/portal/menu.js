// The menu's "County office" list (a <details>): closes on Escape and on a click elsewhere.
(function () {
  "use strict";
  document.querySelectorAll("details[data-menu]").forEach(function (menu) {
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  });
})();

// A table wider than its box scrolls inside it: make the box reachable by keyboard (and name
// it after its table) so that it can be scrolled without a mouse.
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
        if (!box.hasAttribute("role")) box.setAttribute("role", "region");
        var table = box.querySelector("table");
        var caption = table && table.caption;
        var label = table && (table.getAttribute("aria-label") || (caption && caption.textContent));
        if (!label) {
          var section = box.closest("section");
          var heading = section && section.querySelector("h2, h3");
          label = heading && heading.textContent;
        }
        if (label && !box.hasAttribute("aria-label")) box.setAttribute("aria-label", label.trim());
      } else if (box.getAttribute("tabindex") === "0" && box.dataset.keep === undefined) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
      }
    });
  }
  mark();
  window.addEventListener("resize", mark);
})();
