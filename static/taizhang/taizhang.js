// Page behaviour, kept out of the pages so the Content-Security-Policy can forbid inline
// scripts. Each behaviour is switched on by a data attribute in the templates.
(function () {
  "use strict";

  // <select data-autosubmit> submits its form; data-clear names inputs emptied first.
  document.addEventListener("change", function (event) {
    var select = event.target.closest("[data-autosubmit]");
    if (!select) return;
    (select.dataset.clear || "").split(/\s+/).filter(Boolean).forEach(function (name) {
      if (select.form.elements[name]) select.form.elements[name].value = "";
    });
    select.form.submit();
  });

  // <form data-confirm="question"> asks before it is sent.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    // Suggestions still waiting to be fetched are no longer wanted.
    form.querySelectorAll("[data-lookup]").forEach(function (input) {
      clearTimeout(input.lookupTimer);
    });
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    // <form data-busy>: the button is disabled and the .progress note shown while it is sent.
    if (form.hasAttribute("data-busy")) {
      var button = form.querySelector("button");
      var note = form.querySelector(".progress");
      if (button) button.disabled = true;
      if (note) note.hidden = false;
    }
  });

  // <a data-back href="fallback">: back in the history when there is one.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-back]");
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });

  // Inputs with data-lookup="url" and data-lookup-target="#datalist" fetch suggestions.
  function bindLookups() {
    document.querySelectorAll("[data-lookup]").forEach(function (input) {
      if (input.dataset.bound) return;
      input.dataset.bound = "1";
      input.addEventListener("input", function () {
        clearTimeout(input.lookupTimer);
        input.lookupTimer = setTimeout(function () {
          if (!input.value.trim() || !window.htmx) return;
          htmx.ajax("GET", input.dataset.lookup + "?q=" + encodeURIComponent(input.value), {
            target: input.dataset.lookupTarget,
            swap: "innerHTML",
          });
        }, 250);
      });
    });
  }

  // An htmx upload form with data-progress shows its upload progress in #progress.
  function bindProgress() {
    document.querySelectorAll("form[data-progress]").forEach(function (form) {
      if (form.dataset.bound) return;
      form.dataset.bound = "1";
      var box = document.getElementById("progress");
      var bar = document.getElementById("progress-bar");
      var text = document.getElementById("progress-text");
      var result = document.getElementById(form.dataset.progress);
      form.addEventListener("htmx:beforeRequest", function () {
        box.hidden = false;
        bar.value = 0;
        text.textContent = form.dataset.uploading;
        if (result) result.innerHTML = "";
      });
      form.addEventListener("htmx:xhr:progress", function (event) {
        if (!event.detail.lengthComputable) return;
        var pct = Math.round((event.detail.loaded * 100) / event.detail.total);
        bar.value = pct;
        text.textContent = pct < 100 ? form.dataset.uploading + " " + pct + "%" : form.dataset.checking;
        if (pct >= 100) bar.removeAttribute("value");
      });
      form.addEventListener("htmx:afterRequest", function () {
        box.hidden = true;
      });
    });
  }

  function bind() {
    bindLookups();
    bindProgress();
  }
  document.addEventListener("DOMContentLoaded", bind);
  document.addEventListener("htmx:afterSettle", bind);
  // <video|audio data-progress-url>: how far the user has watched, reported every 10 s of
  // playing and on pause and end; <a data-progress-open> reports a PDF opened.
  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }
  function report(url, position, duration) {
    var body = new URLSearchParams({ position: String(Math.floor(position || 0)),
                                     duration: String(Math.floor(duration || 0)) });
    return fetch(url, { method: "POST", body: body, credentials: "same-origin",
                        headers: { "X-CSRFToken": csrfToken() } });
  }
  document.querySelectorAll("video[data-progress-url], audio[data-progress-url]").forEach(
    function (player) {
      var last = -1;
      function send() {
        report(player.dataset.progressUrl, player.currentTime, player.duration);
        last = player.currentTime;
      }
      player.addEventListener("timeupdate", function () {
        if (last < 0 || player.currentTime - last >= 10) send();
      });
      player.addEventListener("pause", send);
      player.addEventListener("ended", send);
    }
  );
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-progress-open]");
    if (link) report(link.dataset.progressUrl, 1, 1);
  });
})();
