// zhen serve: reloads the page after a rebuild, swaps stylesheets when only CSS changed, and
// shows build errors over the page until they are fixed. Injected only in serve mode.
(function () {
  var overlay = null;
  function showError(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "zhen-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.92);color:#fff;padding:2rem;font:16px/1.6 monospace;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "网站生成失败 / Build failed — 修改后会自动刷新\n\n" + text;
  }
  function hideError() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  function swapCss() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("zhen", Date.now());
      link.href = url.toString();
    });
  }
  fetch("/__zhen/status").then(function (r) { return r.json(); }).then(function (s) {
    if (s.error) { showError(s.error); }
  });
  var source = new EventSource("/__zhen/events");
  // Marks the page as listening (tests wait for it).
  source.addEventListener("open", function () { document.documentElement.dataset.zhenLive = "1"; });
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("css", function () { hideError(); swapCss(); });
  source.addEventListener("build-error", function (e) { showError(e.data); });
})();
