// zhen "township" theme. No other script is loaded, and nothing here talks to the network.
//
// 关怀模式 (senior mode): the switch #care in the top bar. The reader's choice is kept in
// localStorage ("zhen-care") and applied by the small script in <head> before the page is
// drawn, so every page of the site opens the way the reader left it. Without JavaScript the
// switch still works on the page in view (the CSS reads the checkbox).
(function () {
  "use strict";
  var KEY = "zhen-care";
  var root = document.documentElement;

  function saved() {
    try {
      return localStorage.getItem(KEY) === "1";
    } catch (e) {
      return root.classList.contains("care");
    }
  }

  function apply(on) {
    root.classList.toggle("care", on);
    var box = document.getElementById("care");
    if (box) box.checked = on;
  }

  var box = document.getElementById("care");
  if (box) {
    box.checked = root.classList.contains("care");
    box.addEventListener("change", function () {
      apply(box.checked);
      try {
        localStorage.setItem(KEY, box.checked ? "1" : "0");
      } catch (e) {
        // Private mode: the choice holds for this page only.
      }
    });
  }
  // Another tab changed it, or the page came back from the back-forward cache.
  window.addEventListener("storage", function (e) {
    if (e.key === KEY) apply(e.newValue === "1");
  });
  window.addEventListener("pageshow", function (e) {
    if (e.persisted) apply(saved());
  });

  // 打印本页: a button that needs JavaScript, so it stays hidden without it.
  var buttons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () {
      window.print();
    });
  }

  // 复制链接 and 分享 under an article (shown on phones instead of the QR code). 分享 opens the
  // system share sheet where there is one; 复制链接 falls back to selecting a hidden field
  // when the page is not served over HTTPS (no clipboard API there).
  function say(button, text) {
    var status = button.parentNode.querySelector(".share-status");
    if (status) status.textContent = text;
  }
  function copy(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
      return;
    }
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.style.position = "fixed";
    field.style.opacity = "0";
    document.body.appendChild(field);
    field.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    document.body.removeChild(field);
    done(ok);
  }
  var copies = document.querySelectorAll("[data-copy]");
  for (var c = 0; c < copies.length; c++) {
    copies[c].hidden = false;
    copies[c].addEventListener("click", function (e) {
      var button = e.currentTarget;
      var url = button.getAttribute("data-copy");
      copy(url, function (ok) {
        say(button, ok ? "链接已复制，可以粘贴到微信里发给亲友。" : "没能复制，请长按地址栏里的链接复制：" + url);
      });
    });
  }
  var shares = document.querySelectorAll("[data-share]");
  for (var s = 0; s < shares.length; s++) {
    if (!navigator.share) continue;
    shares[s].hidden = false;
    shares[s].addEventListener("click", function (e) {
      var button = e.currentTarget;
      navigator.share({ title: button.getAttribute("data-share-title"), url: button.getAttribute("data-share") }).catch(function () {
        // The reader closed the share sheet: nothing to say.
      });
    });
  }
})();
