// Beacon's service worker (app/web/offline.go serves it at /sw.js).
// It keeps this release's static files and the offline page of every
// language; pages are kept only when the citizen saves a course
// (offline.js, one cache per course and language, fetched without cookies).
// Navigations always go to the network first: nothing a signed-in visitor
// sees is ever stored here.
"use strict";
var STATIC = "beacon-static-__VERSION__";
var PRECACHE = self.__PRECACHE__;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC).then(function (cache) {
    return Promise.all(PRECACHE.map(function (url) {
      return fetch(url, { credentials: "omit" }).then(function (res) {
        if (res.ok) { return cache.put(url, res); }
      });
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k.indexOf("beacon-static-") === 0 && k !== STATIC;
    }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

// offlinePage is the kept offline page in the language of the path.
function offlinePage(url) {
  var lang = url.pathname.split("/")[1];
  return caches.open(STATIC).then(function (cache) {
    return cache.match("/" + lang + "/offline").then(function (res) {
      return res || cache.match(PRECACHE.filter(function (u) { return /\/offline$/.test(u); })[0]);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var req = event.request;
  var url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (req.mode === "navigate") {
    event.respondWith(fetch(req).catch(function () {
      return caches.match(req, { ignoreSearch: true, ignoreVary: true }).then(function (saved) {
        return saved || offlinePage(url);
      });
    }));
    return;
  }
  if (url.pathname.indexOf("/static/") === 0 || url.pathname.indexOf("/icons/") === 0) {
    event.respondWith(caches.match(req).then(function (hit) { return hit || fetch(req); }));
  }
});
