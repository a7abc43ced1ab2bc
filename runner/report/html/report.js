// Opens the packet a link points at (an arrow of the flow diagram, a frame
// number of a check) and marks its arrow; nothing is loaded from anywhere.
(function () {
  "use strict";
  function openFrame(hash) {
    var m = /^#frame-(\d+)$/.exec(hash || "");
    if (!m) return;
    var d = document.getElementById("frame-" + m[1]);
    if (!d) return;
    d.open = true;
    describe(d);
    var prev = document.querySelectorAll(".arrow.current");
    for (var i = 0; i < prev.length; i++) prev[i].classList.remove("current");
    var a = document.querySelector('.arrow[data-frame="' + m[1] + '"]');
    if (a) a.classList.add("current");
    d.scrollIntoView({block: "start"});
  }
  // Field descriptions are written once; a packet's table gets them when it
  // is first opened.
  var desc = {};
  try { desc = JSON.parse(document.getElementById("field-desc").textContent || "{}") || {}; } catch (e) { desc = {}; }
  function describe(pkt) {
    if (pkt.dataset.described) return;
    pkt.dataset.described = "1";
    var rows = pkt.querySelectorAll(".layer tr");
    for (var i = 0; i < rows.length; i++) {
      var name = rows[i].cells[0].textContent;
      rows[i].cells[0].className = "fn";
      rows[i].cells[1].className = "fv";
      var td = document.createElement("td");
      td.className = "fd";
      td.textContent = desc[name] || "";
      rows[i].appendChild(td);
    }
  }
  document.addEventListener("toggle", function (e) {
    var t = e.target;
    if (t.classList && t.classList.contains("pkt") && t.open) describe(t);
  }, true);
  window.addEventListener("hashchange", function () { openFrame(location.hash); });
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest('a[href^="#frame-"]') : null;
    if (a && a.getAttribute("href") === location.hash) openFrame(location.hash);
  });
  // Printing shows every packet's line but not its details.
  window.addEventListener("beforeprint", function () {
    var open = document.querySelectorAll("details.pkt[open]");
    for (var i = 0; i < open.length; i++) describe(open[i]);
  });
  openFrame(location.hash);
})();
