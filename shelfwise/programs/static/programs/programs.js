// Programs pages: the poster's print button (a button, so it works by keyboard).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
