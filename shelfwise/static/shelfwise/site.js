// Site-wide behaviour, kept tiny: pages work without it.
// htmx requests carry Django's CSRF token, read from <meta name="csrf-token">,
// and only to our own origin.
document.addEventListener("htmx:config:request", function (event) {
  var request = event.detail && event.detail.ctx && event.detail.ctx.request;
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (!request || !meta) return;
  var target = new URL(request.action || "", window.location.href);
  if (target.origin === window.location.origin) {
    request.headers["X-CSRFToken"] = meta.content;
  }
});
