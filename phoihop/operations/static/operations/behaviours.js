/* Phối Hợp — small behaviours declared in templates with data- attributes, because the
   Content-Security-Policy forbids inline scripts and on…= handlers (docs/security.md).

   <select data-autosubmit>     submits its form when changed (language menu, filters)
   <button data-print>          prints the page
   <figure data-zoom-toggle>    toggles the "zoom" class when clicked
   <td data-pct="42">           sets the CSS variable --pct (CSSOM writes are allowed by CSP)
   <details data-menu open>     the site menu: kept open on a wide screen, closed on a phone until
                                its button (the <summary>) is pressed; Escape closes it
*/
(function () {
  "use strict";

  function applyPct(root) {
    if (!root || !root.querySelectorAll) { return; }
    var nodes = root.querySelectorAll("[data-pct]");
    for (var i = 0; i < nodes.length; i++) {
      nodes[i].style.setProperty("--pct", nodes[i].getAttribute("data-pct"));
    }
  }

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("[data-autosubmit]") && el.form) {
      if (el.form.requestSubmit) { el.form.requestSubmit(); } else { el.form.submit(); }
    }
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target || !target.closest) { return; }
    if (target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
      return;
    }
    var zoom = target.closest("[data-zoom-toggle]");
    if (zoom) { zoom.classList.toggle("zoom"); }
  });

  function setupMenu() {
    var menu = document.querySelector("details[data-menu]");
    if (!menu || !window.matchMedia) { return; }
    var narrow = window.matchMedia("(max-width: 760px)");  /* the breakpoint of phoihop.css */
    var fit = function () { menu.open = !narrow.matches; };
    fit();
    if (narrow.addEventListener) { narrow.addEventListener("change", fit); }
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open && narrow.matches) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  }

  function ready() { applyPct(document); setupMenu(); }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
  document.addEventListener("htmx:load", function (event) { applyPct(event.target); });
})();
