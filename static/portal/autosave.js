// Autosave for forms marked data-autosave: saves as the user types (debounced),
// when a field is left, and before the page is closed. The server answers with
// the new version, field errors and the refreshed report summary.
(function () {
  "use strict";

  function parseKroner(text) {
    var cleaned = String(text || "").replace(/[\s\u00a0\u202f\u2009]/g, "").replace(/^kr\.?/i, "").replace(/(kr\.?|,-)$/i, "");
    if (cleaned === "") return 0;
    if (!/^\d+$/.test(cleaned)) return null;
    return parseInt(cleaned, 10);
  }

  function formatKroner(value) {
    return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0") + "\u00a0kr";
  }

  function updateLiveTotal(form) {
    var owner = form.querySelector("[name=owner_amount]");
    var uh = form.querySelector("[name=uh_amount]");
    var totalEl = form.querySelector("[data-live-total]");
    var shareEl = form.querySelector("[data-live-share]");
    if (!owner || !uh || !totalEl) return;
    var o = parseKroner(owner.value), u = parseKroner(uh.value);
    if (o === null || u === null) { totalEl.textContent = "–"; if (shareEl) shareEl.textContent = "–"; return; }
    totalEl.textContent = formatKroner(o + u);
    if (shareEl) {
      var total = o + u;
      shareEl.textContent = total ? (Math.round((1000 * u) / total) / 10).toFixed(1).replace(".", ",") + "\u00a0%" : "–";
    }
  }

  function showErrors(form, errors) {
    form.querySelectorAll("[data-error-for]").forEach(function (el) {
      var name = el.getAttribute("data-error-for");
      var messages = errors[name] || [];
      el.textContent = messages.join(" ");
      var input = form.querySelector("[name='" + name + "']");
      if (input) {
        if (messages.length) { input.setAttribute("aria-invalid", "true"); }
        else { input.removeAttribute("aria-invalid"); }
      }
    });
  }

  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var status = form.querySelector("[data-autosave-status]");
    var timer = null, saving = false, again = false, dirty = false, stopped = false;
    // A real submit that waits for the autosave in flight (started when the click moved
    // the focus off a field): it then carries the version that save produced.
    var pendingSubmit = null;

    function say(text) { if (status) status.textContent = text; }

    function save() {
      if (stopped || !dirty) return;
      if (saving) { again = true; return; }
      saving = true; dirty = false;
      say(form.dataset.msgSaving);
      fetch(form.action || window.location.href, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-Requested-With": "autosave" },
        credentials: "same-origin"
      }).then(function (response) {
        if (response.status === 403) return { status: "refused", message: form.dataset.msgRefused };
        if (!response.ok) throw new Error(response.status);
        return response.json();
      }).then(function (data) {
        if (data.status === "conflict") {
          stopped = true;
          say(form.dataset.msgConflict);
          return;
        }
        if (data.status === "refused") {
          // The report was submitted (or is being saved by someone else): nothing was saved.
          stopped = true;
          say(data.message);
          return;
        }
        form.querySelector("[name=version]").value = data.version;
        showErrors(form, data.errors || {});
        var target = document.getElementById(form.dataset.summaryTarget);
        if (target && data.summary_html) target.innerHTML = data.summary_html;
        if (data.confirmation_cleared) {
          var cleared = document.querySelector("[data-confirmation-cleared]");
          if (cleared) cleared.hidden = false;
        }
        // A field with an error was not saved: never say "all saved" while one is shown.
        var invalid = Object.keys(data.errors || {}).some(function (k) { return (data.errors[k] || []).length; });
        say(invalid ? form.dataset.msgInvalid : form.dataset.msgSaved);
      }).catch(function () {
        dirty = true;
        say(form.dataset.msgError);
      }).finally(function () {
        saving = false;
        if (pendingSubmit) { var go = pendingSubmit; pendingSubmit = null; go(); return; }
        if (again) { again = false; save(); }
      });
    }

    function changed() {
      dirty = true;
      updateLiveTotal(form);
      clearTimeout(timer);
      timer = setTimeout(save, 700);
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("focusout", function () { clearTimeout(timer); save(); });
    form.addEventListener("submit", function (event) {
      clearTimeout(timer);
      stopped = true;
      if (saving) {
        event.preventDefault();
        var submitter = event.submitter;
        pendingSubmit = function () {
          if (form.requestSubmit) form.requestSubmit(submitter || undefined);
          else form.submit();
        };
      }
    });
    window.addEventListener("beforeunload", function () {
      if (dirty && !stopped && navigator.sendBeacon) {
        navigator.sendBeacon(form.action || window.location.href, new FormData(form));
      }
    });
  });
})();
