// The form's challenge: "new image" asks django-simple-captcha for a fresh
// key and image; "listen" plays the digits (the link still works without
// JavaScript: the browser opens the sound). Words come from data-* attributes
// rendered in the page's language.
(function () {
  document.querySelectorAll(".captcha-box").forEach(function (box) {
    var key = box.querySelector("input[type=hidden]");
    var img = box.querySelector("img.captcha");
    var answer = box.querySelector("input[type=text]");
    var status = box.querySelector(".captcha-status");
    var refresh = box.querySelector(".js-captcha-refresh");
    var listen = box.querySelector(".js-captcha-audio");
    var player = null;
    function say(text) { status.textContent = ""; setTimeout(function () { status.textContent = text; }, 50); }
    if (refresh) {
      refresh.hidden = false;
      refresh.addEventListener("click", function () {
        fetch(box.dataset.refreshUrl, { headers: { "X-Requested-With": "XMLHttpRequest", Accept: "application/json" } })
          .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
          .then(function (data) {
            if (listen) listen.href = listen.href.replace(key.value, data.key);
            key.value = data.key;
            img.src = data.image_url;
            answer.value = "";
            if (player) { player.pause(); player = null; }
            say(box.dataset.refreshed);
          })
          .catch(function () { /* the old image stays usable */ });
      });
    }
    if (listen) {
      listen.addEventListener("click", function (e) {
        e.preventDefault();
        if (player) player.pause();
        player = new Audio(listen.href);
        player.play().catch(function () { say(box.dataset.audioError); });
      });
    }
  });
})();
