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
})();
