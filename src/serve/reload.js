// zhen serve: reloads the page after a rebuild, swaps stylesheets when only CSS changed, and
// shows build errors in a panel over the page until they are fixed (or the panel is closed).
// Injected only in serve mode.
(function () {
  var SANS = "system-ui,-apple-system,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC','Source Han Sans SC',sans-serif";
  var FONT = "16px/1.6 " + SANS;
  // Chinese twice as wide as Latin, so that the carets under a line stay aligned.
  var MONO = "14px/1.5 'Noto Sans Mono CJK SC','Sarasa Mono SC','Source Han Mono SC',NSimSun,Menlo,Consolas,monospace";
  var overlay = null;
  var pre = null;
  function el(tag, css, text) {
    var e = document.createElement(tag);
    // Inline, so that the site's own stylesheet does not reach into the panel.
    e.style.cssText = "all:initial;box-sizing:border-box;display:block;" + css;
    if (text) { e.textContent = text; }
    return e;
  }
  function showError(text) {
    if (!overlay) {
      overlay = el("div", "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:16px;background:rgba(0,0,0,.5)");
      overlay.id = "zhen-error-overlay";
      overlay.setAttribute("role", "alert");
      var panel = el("div", "max-width:960px;margin:0 auto;padding:16px;background:#fff;color:#1f1f1f;border-top:6px solid #c62828;border-radius:8px;box-shadow:0 8px 32px rgba(0,0,0,.35);font:" + FONT);
      var head = el("div", "display:flex;align-items:flex-start;gap:12px;margin:0 0 8px");
      var title = el("h2", "flex:1;margin:0;font:bold 20px/1.4 " + SANS + ";color:#b71c1c", "网站生成失败");
      var close = el("button", "flex:none;cursor:pointer;padding:2px 12px;font:" + FONT + ";color:#1f1f1f;background:#eee;border:1px solid #ccc;border-radius:4px", "关闭");
      close.type = "button";
      close.setAttribute("aria-label", "关闭错误提示");
      close.addEventListener("click", hideError);
      var hint = el("p", "margin:0 0 12px;font:" + FONT + ";color:#444", "按下面的提示改正并保存，页面会自动刷新。");
      pre = el("pre", "margin:0;padding:12px;max-height:70vh;overflow:auto;white-space:pre;tab-size:4;background:#f6f6f6;color:#1f1f1f;border:1px solid #ddd;border-radius:4px;font:" + MONO);
      head.appendChild(title);
      head.appendChild(close);
      panel.appendChild(head);
      panel.appendChild(hint);
      panel.appendChild(pre);
      overlay.appendChild(panel);
      document.body.appendChild(overlay);
    }
    pre.textContent = text;
  }
  function hideError() {
    if (overlay) { overlay.remove(); overlay = null; pre = null; }
  }
  function swapCss() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("zhen", Date.now());
      link.href = url.toString();
    });
  }
  var source = new EventSource("/__zhen/events");
  // Once listening (tests wait for the mark), the error of the site as served: a problem found
  // after the reload was sent is then shown as well.
  source.addEventListener("open", function () {
    fetch("/__zhen/status").then(function (r) { return r.json(); }).then(function (s) {
      if (s.error) { showError(s.error); }
    }).catch(function () {}).then(function () {
      document.documentElement.dataset.zhenLive = "1";
    });
  });
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("css", function () { hideError(); swapCss(); });
  source.addEventListener("build-error", function (e) { showError(e.data); });
})();
