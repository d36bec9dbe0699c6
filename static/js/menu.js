// On narrow screens the site's links fold behind a 菜单 button. Without JavaScript they stay shown.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    // Long lists fold on a phone (the page stays short); they open with one tap.
    if (window.matchMedia("(max-width: 640px)").matches) {
      document.querySelectorAll("details.fold-on-phone").forEach(function (d) { d.open = false; });
    }
    // The language menu applies the choice at once (no inline handler: the CSP allows none).
    document.querySelectorAll("select.submit-on-change").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    var button = document.querySelector(".menu-toggle");
    var nav = document.getElementById("site-nav");
    if (!button || !nav) { return; }
    button.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  });
})();
