// Live totals on the allocation page: per report and for the scheme against the frame.
// The server recomputes and checks everything on save; this only shows it while typing.
(function () {
  "use strict";
  function parse(text) {
    var cleaned = String(text || "").replace(/[\s\u00a0\u202f\u2009]/g, "").replace(/^kr/i, "").replace(/kr$/i, "");
    return /^\d+$/.test(cleaned) ? parseInt(cleaned, 10) : (cleaned === "" ? 0 : NaN);
  }
  function kr(value) {
    if (isNaN(value)) return "–";
    var sign = value < 0 ? "-" : "";
    return sign + String(Math.abs(value)).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0") + "\u00a0kr";
  }
  var inputs = document.querySelectorAll("input[data-alloc]");
  if (!inputs.length) return;
  function update(sumsOnly) {
    var sums = {}, all = 0;
    inputs.forEach(function (input) {
      var key = input.dataset.side + "-" + input.dataset.alloc;
      var value = parse(input.value);
      sums[key] = (sums[key] || 0) + value;
      all += value;
    });
    Object.keys(sums).forEach(function (key) {
      var cell = document.querySelector("[data-sum='" + key + "']");
      if (cell) cell.textContent = kr(sums[key]);
    });
    // On load only the Sum rows follow the fields; "allocated" and "remaining" show what is
    // saved until something is typed.
    if (sumsOnly === true) return;
    var allocated = document.querySelector("[data-live=allocated]");
    var remaining = document.querySelector("[data-live=remaining]");
    // With several pages, what the other pages hold is added (data-elsewhere).
    if (allocated) all += parseInt(allocated.dataset.elsewhere || "0", 10);
    if (allocated) allocated.textContent = kr(all);
    if (remaining) {
      var left = parseInt(remaining.dataset.available, 10) - parseInt(remaining.dataset.committed, 10) - all;
      remaining.textContent = kr(left);
      remaining.classList.toggle("text-danger", left < 0);
    }
  }
  inputs.forEach(function (input) { input.addEventListener("input", function () { update(false); }); });
  // The fields may come pre-filled (the requested amounts): the sums show them from the start.
  update(true);
})();
