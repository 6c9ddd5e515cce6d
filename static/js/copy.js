// "Copy" buttons for the tracking code and the private link. Hidden without JS.
(function () {
  document.querySelectorAll(".js-copy").forEach(function (button) {
    button.hidden = false;
    var label = button.textContent;
    button.addEventListener("click", function () {
      var text = button.getAttribute("data-copy");
      var done = function () {
        button.textContent = button.getAttribute("data-done");
        setTimeout(function () { button.textContent = label; }, 2000);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () {});
      } else {
        var area = document.createElement("textarea");
        area.value = text; area.setAttribute("readonly", ""); area.style.position = "absolute"; area.style.left = "-9999px";
        document.body.appendChild(area); area.select();
        try { document.execCommand("copy"); done(); } catch (e) { /* the code is still on screen */ }
        document.body.removeChild(area);
      }
    });
  });
})();
