// Offline reading (app/web/offline.go): "Save for offline" on a course
// page, the list of saved courses on the offline page, and quiz answers
// chosen offline, kept on this device until the connection returns.
(function () {
  "use strict";
  if (!("caches" in window) || !window.fetch || !window.localStorage || window.beaconOffline) { return; }
  window.beaconOffline = true;
  var QUEUE = "beacon-offline-answers", META = "/offline-course.json";
  var PRIVATE = /^\/[^/]+\/(me|admin)(\/|$)|^\/api\//;
  var $ = function (root, sel) { return root.querySelector(sel); };

  function queue() {
    try { return JSON.parse(localStorage.getItem(QUEUE)) || []; } catch (e) { return []; }
  }
  function setQueue(q) {
    if (q.length) { localStorage.setItem(QUEUE, JSON.stringify(q)); } else { localStorage.removeItem(QUEUE); }
  }
  function li(text, href) {
    var item = document.createElement("li"), el = document.createElement(href ? "a" : "span");
    el.textContent = text;
    if (href) { el.href = href; }
    item.appendChild(el);
    return item;
  }

  // The answers waiting to be sent, wherever the page has room for them.
  function showWaiting() {
    var box = document.querySelector("[data-offline-waiting]");
    if (!box) { return; }
    var list = $(box, "ul"), q = queue();
    list.textContent = "";
    q.forEach(function (a) {
      list.appendChild(li(a.title + " — " + new Date(a.at).toLocaleString(document.documentElement.lang)));
    });
    box.hidden = q.length === 0;
  }

  // mediaOf lists a page's images served by Beacon (/media/…), each by
  // the first (smallest) candidate of its srcset, else its src.
  var mediaOf = function (html) {
    var out = [];
    (html.match(/<img\b[^>]*>/g) || []).forEach(function (tag) {
      var set = /\ssrcset="([^"]*)"/.exec(tag), src = /\ssrc="([^"]*)"/.exec(tag);
      var u = ((set && set[1].split(",")[0].trim().split(/\s+/)[0]) || (src && src[1]) || "").replace(/&amp;/g, "&");
      if (u.indexOf("/media/") === 0 && out.indexOf(u) < 0) { out.push(u); }
    });
    return out;
  };

  // Save for offline: the course page, each lesson and the quiz, fetched
  // without cookies so that the copies are the anonymous pages.
  var save = document.querySelector("[data-offline-course]");
  if (save && "serviceWorker" in navigator) {
    var name = "beacon-course-" + save.getAttribute("data-offline-lang") + "-" + save.getAttribute("data-offline-course");
    var urls = save.getAttribute("data-offline-urls").split(" ").filter(function (u) { return u && !PRIVATE.test(u); });
    urls.push("/" + save.getAttribute("data-offline-lang") + "/offline");
    var saveButton = $(save, "[data-offline-action=save]"), removeButton = $(save, "[data-offline-action=remove]");
    var state = function (isSaved, failed) {
      $(save, "[data-offline-state=unsaved]").hidden = isSaved;
      saveButton.hidden = isSaved;
      saveButton.disabled = false;
      $(save, "[data-offline-state=saved]").hidden = !isSaved;
      removeButton.hidden = !isSaved;
      $(save, "[data-offline-state=failed]").hidden = !failed;
    };
    save.hidden = false;
    caches.has(name).then(function (has) { state(has, false); });
    saveButton.addEventListener("click", function () {
      saveButton.disabled = true;
      caches.open(name).then(function (cache) {
        return Promise.all(urls.map(function (u) {
          return fetch(u, { credentials: "omit", headers: { "Beacon-Offline-Copy": "1" } }).then(function (res) {
            if (!res.ok) { throw new Error(u + ": " + res.status); }
            return cache.put(u, res.clone()).then(function () { return res.text(); }).then(function (html) {
              // The lesson's own images, in their smallest copy: the worker
              // answers any width of an image from it when offline.
              return Promise.all(mediaOf(html).map(function (m) {
                return fetch(m, { credentials: "omit" }).then(function (r) { return r.ok ? cache.put(m, r) : null; });
              }));
            });
          });
        })).then(function () {
          return cache.put(META, new Response(JSON.stringify({ title: save.getAttribute("data-offline-title"), url: urls[0] }),
            { headers: { "Content-Type": "application/json" } }));
        });
      }).then(function () { state(true, false); removeButton.focus(); }, function () {
        return caches.delete(name).then(function () { state(false, true); });
      });
    });
    removeButton.addEventListener("click", function () {
      caches.delete(name).then(function () { state(false, false); saveButton.focus(); });
    });
  }

  // The offline page lists the courses saved on this device.
  var saved = document.querySelector("[data-offline-saved]");
  if (saved) {
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k.indexOf("beacon-course-") === 0; }).map(function (k) {
        return caches.open(k).then(function (c) { return c.match(META); }).then(function (res) { return res && res.json(); });
      }));
    }).then(function (metas) {
      var list = $(saved, "ul");
      metas.forEach(function (m) { if (m) { list.appendChild(li(m.title, m.url)); } });
      list.hidden = !list.children.length;
      $(saved, "[data-offline-none]").hidden = !!list.children.length;
    });
  }

  // Quiz answers chosen offline wait on this device. The CSRF field is
  // left out: the quiz takes none from guests, and a kept page has none.
  var form = document.querySelector("form[data-offline-quiz]");
  if (form) {
    form.addEventListener("submit", function (event) {
      if (navigator.onLine !== false) { return; }
      event.preventDefault();
      var body = new URLSearchParams(new FormData(form));
      body.delete("_csrf");
      var q = queue();
      q.push({ action: form.action, body: body.toString(), title: form.getAttribute("data-offline-title"), at: Date.now() });
      setQueue(q);
      form.hidden = true;
      var note = document.querySelector("[data-offline-queued]");
      note.hidden = false;
      note.focus();
      showWaiting();
    });
  }

  // Send what waits, one by one, when the connection returns; then show
  // the last result (or the server's answer when it refused one).
  var sending = false;
  function send() {
    var q = queue();
    if (sending || !q.length || navigator.onLine === false) { return; }
    sending = true;
    var a = q[0];
    fetch(a.action, { method: "POST", body: new URLSearchParams(a.body), credentials: "same-origin" }).then(function (res) {
      setQueue(queue().filter(function (x) { return x.at !== a.at; }));
      sending = false;
      if (res.ok && queue().length) { send(); return; }
      if (res.ok && res.redirected) { location.assign(res.url); return; }
      return res.text().then(function (html) { document.open(); document.write(html); document.close(); });
    }, function () { sending = false; });
  }
  window.addEventListener("online", send);
  showWaiting();
  send();
  document.documentElement.setAttribute("data-offline-ready", "");
})();
