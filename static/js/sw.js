// Beacon's service worker (app/web/offline.go serves it at /sw.js).
// It keeps this release's static files and the offline page of each
// language the citizen reads in; pages are kept only when they save a course
// (offline.js, one cache per course and language, fetched without cookies).
// Navigations always go to the network first: nothing a signed-in visitor
// sees is ever stored here.
"use strict";
var STATIC = "beacon-static-__VERSION__";
var PRECACHE = self.__PRECACHE__;

// OFFLINE is the offline page of every language; a worker keeps those of
// the languages its pages were open in (all, when it cannot tell), not six
// pages on every phone.
var OFFLINE = PRECACHE.filter(function (u) { return /\/offline$/.test(u); });

self.addEventListener("install", function (event) {
  event.waitUntil(self.clients.matchAll({ includeUncontrolled: true, type: "window" }).then(function (open) {
    var langs = open.map(function (c) { return "/" + new URL(c.url).pathname.split("/")[1] + "/offline"; });
    var pages = OFFLINE.filter(function (u) { return langs.indexOf(u) >= 0; });
    var urls = PRECACHE.filter(function (u) { return OFFLINE.indexOf(u) < 0; }).concat(pages.length ? pages : OFFLINE);
    return caches.open(STATIC).then(function (cache) {
      return Promise.all(urls.map(function (url) {
        return fetch(url, { credentials: "omit" }).then(function (res) {
          if (res.ok) { return cache.put(url, res); }
        });
      }));
    });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) {
      return k.indexOf("beacon-static-") === 0 && k !== STATIC;
    }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

// offlinePage is a kept offline page, in the language of the path when
// there is one (a saved course keeps its language's too).
function offlinePage(url) {
  var want = "/" + url.pathname.split("/")[1] + "/offline";
  var tries = [want].concat(OFFLINE.filter(function (u) { return u !== want; }));
  var next = function (i) {
    if (i >= tries.length) { return Promise.resolve(Response.error()); }
    return caches.match(tries[i], { ignoreVary: true }).then(function (res) { return res || next(i + 1); });
  };
  return next(0);
}

// keepOffline keeps the offline page of the language of a page read online.
function keepOffline(url) {
  var want = "/" + url.pathname.split("/")[1] + "/offline";
  if (OFFLINE.indexOf(want) < 0) { return Promise.resolve(); }
  return caches.open(STATIC).then(function (cache) {
    return cache.match(want).then(function (hit) {
      return hit || fetch(want, { credentials: "omit" }).then(function (res) {
        if (res.ok) { return cache.put(want, res); }
      });
    });
  }).catch(function () {});
}

self.addEventListener("fetch", function (event) {
  var req = event.request;
  var url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (req.mode === "navigate") {
    event.respondWith(fetch(req).then(function (res) {
      event.waitUntil(keepOffline(url));
      return res;
    }, function () {
      return caches.match(req, { ignoreSearch: true, ignoreVary: true }).then(function (saved) {
        return saved || offlinePage(url);
      });
    }));
    return;
  }
  if (url.pathname.indexOf("/media/") === 0) {
    // A saved lesson's image: from the network, else any saved width of it.
    event.respondWith(fetch(req).catch(function () {
      return caches.match(req, { ignoreSearch: true, ignoreVary: true }).then(function (hit) { return hit || Response.error(); });
    }));
    return;
  }
  if (url.pathname.indexOf("/static/") === 0 || url.pathname.indexOf("/icons/") === 0) {
    event.respondWith(caches.match(req).then(function (hit) { return hit || fetch(req); }));
  }
});
