/* Jaring's small page helpers (no framework; loaded deferred on every page by base.html). */
(function () {
  "use strict";
  // The menu is a <details>: closed on a phone, open on a wide screen (CSS lays it out as a row there).
  var menu = document.querySelector("details.menu");
  var wide = window.matchMedia("(min-width: 768px)");
  function fit() { if (menu) { menu.open = wide.matches; } }
  fit();
  if (wide.addEventListener) { wide.addEventListener("change", fit); }
  // Close the phone menu when tapping outside it.
  document.addEventListener("click", function (e) {
    if (menu && menu.open && !wide.matches && !menu.contains(e.target)) { menu.open = false; }
  });
  // A table or .tablewrap that scrolls sideways (phones) can be reached and scrolled with the keyboard too.
  function scrollers() {
    var els = document.querySelectorAll("main table, main .tablewrap");
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (el.scrollWidth > el.clientWidth + 1) {
        if (!el.hasAttribute("tabindex")) { el.setAttribute("tabindex", "0"); }
      } else if (el.getAttribute("tabindex") === "0") { el.removeAttribute("tabindex"); }
    }
  }
  scrollers();
  window.addEventListener("resize", scrollers);
  // [data-copy="text"]: copy to the clipboard, then say so on the button for two seconds.
  document.addEventListener("click", function (e) {
    var btn = e.target.closest ? e.target.closest("[data-copy]") : null;
    if (!btn) { return; }
    e.preventDefault();
    var text = btn.getAttribute("data-copy");
    var done = function () {
      var old = btn.textContent;
      btn.textContent = btn.getAttribute("data-copied") || "✓";
      setTimeout(function () { btn.textContent = old; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { window.prompt("", text); });
    } else {
      var ta = document.createElement("textarea");
      ta.value = text; ta.setAttribute("readonly", ""); ta.style.position = "absolute"; ta.style.left = "-9999px";
      document.body.appendChild(ta); ta.select();
      try { document.execCommand("copy"); done(); } catch (err) { window.prompt("", text); }
      document.body.removeChild(ta);
    }
  });
})();
