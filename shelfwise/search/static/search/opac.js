// The student catalog with htmx: when new results replace the old ones, say
// so to screen readers and, if the link that was used is gone, put the focus
// on the results heading so a keyboard user goes on from there.
document.addEventListener("htmx:after:settle", function () {
  var heading = document.getElementById("results-heading");
  var status = document.getElementById("opac-status");
  if (!heading) return;
  if (status) status.textContent = heading.textContent;
  var active = document.activeElement;
  if (!active || active === document.body || !document.body.contains(active)) {
    heading.focus();
  }
});
