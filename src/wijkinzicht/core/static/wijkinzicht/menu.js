// On a phone the main menu folds behind a "Menu" button (issue 14: it took 28 % of the first
// screen). Without this script the menu simply stays open. A file, not inline script: the
// Content-Security-Policy allows scripts from this site only.
(function () {
  var button = document.querySelector(".nav-toggle");
  var menu = document.getElementById("site-menu");
  if (!button || !menu) { return; }
  document.documentElement.classList.add("menu-folds");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("open", open);
  });
}());
