/* The organiser's scanning page: badge codes from the camera (jsQR) or typed in are queued in
   the browser (localStorage), each with a UUID made here and the device's id, and sent in a
   batch to the API whenever the network is there. The server keeps each scan once by its UUID,
   so a queue sent twice (a lost answer, a reload) counts once. */
(function () {
  "use strict";
  var app = document.getElementById("scan-app");
  if (!app) return;
  var QUEUE_KEY = "kinerja.training.scanQueue";
  var DEVICE_KEY = "kinerja.training.deviceId";
  var api = app.dataset.api;
  var sending = false;

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function deviceId() {
    var id = localStorage.getItem(DEVICE_KEY);
    if (!id) { id = "web-" + uuid4().slice(0, 8); localStorage.setItem(DEVICE_KEY, id); }
    return id;
  }
  function load() {
    try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { return []; }
  }
  function save(queue) { localStorage.setItem(QUEUE_KEY, JSON.stringify(queue)); show(); }
  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; }
    catch (e) { return ""; }
  }
  function log(text, kind) {
    var list = document.getElementById("scan-log");
    var item = document.createElement("li");
    item.textContent = new Date().toLocaleTimeString() + " · " + text;
    if (kind) item.className = "text-" + kind;
    list.insertBefore(item, list.firstChild);
  }
  function show() {
    document.getElementById("scan-queue-length").textContent = String(load().length);
    var badge = document.getElementById("scan-online");
    badge.textContent = navigator.onLine ? badge.dataset.online : badge.dataset.offline;
    badge.className = "badge " + (navigator.onLine ? "bg-green-lt" : "bg-red-lt");
  }
  function enqueue(code, method) {
    code = (code || "").trim();
    if (!code) return;
    var session = document.getElementById("scan-session");
    var direction = document.querySelector("input[name=scan-direction]:checked");
    var queue = load();
    queue.push({
      uuid: uuid4(), session: Number(session.value), code: code,
      direction: direction ? direction.value : "in", scanned_at: new Date().toISOString(),
      device: deviceId(), method: method
    });
    save(queue);
    if (!navigator.onLine) log(app.dataset.msgQueued, "secondary");
    flush();
  }
  function flush() {
    var queue = load();
    if (sending || !queue.length || !navigator.onLine) return;
    sending = true;
    var batch = queue.slice(0, 200);
    fetch(api, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), "Accept": "application/json" },
      body: JSON.stringify({ scans: batch })
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (data) {
      var done = {};
      (data.results || []).forEach(function (answer) {
        done[answer.uuid] = true;
        if (answer.outcome === "refused") log(app.dataset.msgRefused + ": " + answer.message, "danger");
        else if (answer.outcome === "duplicate") log(app.dataset.msgDuplicate, "secondary");
        else log(app.dataset.msgSent + " (" + answer.outcome + ")", "success");
      });
      save(load().filter(function (scan) { return !done[scan.uuid]; }));
    }).catch(function () { /* offline or the server away: the queue stays */ })
      .then(function () { sending = false; show(); if (load().length && navigator.onLine) setTimeout(flush, 3000); });
  }

  var form = document.getElementById("scan-typed");
  if (form) form.addEventListener("submit", function (event) {
    event.preventDefault();
    var input = document.getElementById("scan-code");
    enqueue(input.value, "typed");
    input.value = "";
    input.focus();
  });

  var last = { code: "", at: 0 };
  document.getElementById("scan-camera").addEventListener("click", function () {
    var video = document.getElementById("scan-video");
    var canvas = document.getElementById("scan-canvas");
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.jsQR) {
      log(app.dataset.msgCamera, "warning");
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.classList.remove("d-none");
      video.play();
      var context = canvas.getContext("2d", { willReadFrequently: true });
      (function tick() {
        if (video.readyState === video.HAVE_ENOUGH_DATA) {
          canvas.width = video.videoWidth;
          canvas.height = video.videoHeight;
          context.drawImage(video, 0, 0, canvas.width, canvas.height);
          var image = context.getImageData(0, 0, canvas.width, canvas.height);
          var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
          var now = Date.now();
          if (found && found.data && (found.data !== last.code || now - last.at > 5000)) {
            last = { code: found.data, at: now };
            enqueue(found.data, "camera");
          }
        }
        requestAnimationFrame(tick);
      })();
    }).catch(function () { log(app.dataset.msgCamera, "warning"); });
  });

  window.addEventListener("online", function () { show(); flush(); });
  window.addEventListener("offline", show);
  setInterval(flush, 10000);
  show();
  flush();
})();
