// Buttons marked data-print print the page (a file, not inline script: the Content-Security-Policy
// allows scripts from this site only).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
