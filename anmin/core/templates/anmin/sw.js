// Anmin's service worker (docs/offline.md), version {{ version }}.
// - the shell (CSS, JS, icons, the scripts' message catalogues) is kept at install; other static files
//   as they are used (cache first: their names change with their content, the catalogues' with ?v=);
// - pages: the network first; with no network, the kept copy of the page (only pages without personal
//   data are kept: the report forms and the offline workbench) or else the offline workbench;
// - a kept form posted while the phone believes it is online but the signal is dead: the post is put in
//   the outbox (encrypted, under the form's idempotency key) and the worker lands on the workbench;
// - "sync" (Background Sync, where the browser has it): the open pages are asked to send the outbox.
// Nothing personal is kept here: the lists and the outbox live encrypted in IndexedDB (offline-store.js).
"use strict";
importScripts("{{ store_url }}");
var VERSION = "{{ version }}";
var SHELL_CACHE = "anmin-shell-" + VERSION;
var STATIC_CACHE = "anmin-static";
var PAGE_CACHE = "anmin-pages";
var SHELL = {{ shell_json|safe }};
var OFFLINE_URL = "{{ offline_url }}";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) { return cache.addAll(SHELL); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("anmin-shell-") === 0 && k !== SHELL_CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function fromCache(request) {
  return caches.match(request, { ignoreVary: true });
}

function staticFirst(request) {
  return fromCache(request).then(function (hit) {
    return hit || fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(STATIC_CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    });
  });
}

function offlinePage(url) {
  return caches.open(PAGE_CACHE).then(function (cache) {
    return cache.match(url.pathname, { ignoreSearch: true, ignoreVary: true }).then(function (hit) {
      return hit || cache.match(OFFLINE_URL, { ignoreSearch: true, ignoreVary: true });
    });
  }).then(function (hit) {
    return hit || new Response("<!doctype html><meta charset=utf-8><title>离线 · Offline</title><p>当前无网络，且本机没有离线数据。联网登录后即可离线使用。</p><p lang=en>No network, and nothing kept on this phone yet. Sign in once online to work offline.</p>",
      { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
  });
}

// A kept form's post that found no network: into the outbox, sent again to the same page later.
function keepPost(request, copy, url) {
  return Promise.all([AnminStore.session(), copy.formData(), caches.open(PAGE_CACHE).then(function (c) { return c.match(url.pathname); })])
    .then(function (r) {
      var session = r[0], form = r[1];
      if (!session || !r[2]) { throw new Error("not a kept form"); }
      var fields = [], files = [], id = "";
      form.forEach(function (value, name) {
        if (name === "idempotency_key") { id = String(value); return; }
        if (name === "csrfmiddlewaretoken") { return; }
        if (typeof value !== "string") { if (value.size) { files.push({ field: name, file: value }); } return; }
        if (value !== "") { fields.push([name, value]); }
      });
      var item = { id: id || String(Date.now()) + Math.random().toString(16).slice(2), api: url.pathname, mode: "page",
                   label: "", summary: "" };  // (the page names it, in the user's language: offline.js)
      return AnminStore.enqueue(session.key, session.user, item, fields, files);
    }).then(function () {
      return Response.redirect(OFFLINE_URL + "?queued=1", 303);
    });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method === "POST" && request.mode === "navigate") {
    var postUrl = new URL(request.url);
    if (postUrl.origin !== self.location.origin) { return; }
    var copy = request.clone();
    event.respondWith(fetch(request).catch(function (err) {
      return keepPost(request, copy, postUrl).catch(function () { throw err; });
    }));
    return;
  }
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0 || url.pathname.indexOf("/jsi18n/") === 0) {
    event.respondWith(staticFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () { return offlinePage(url); }));
  }
});

function tellClients(message) {
  return self.clients.matchAll({ type: "window" }).then(function (clients) {
    clients.forEach(function (c) { c.postMessage(message); });
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === "anmin-outbox") { event.waitUntil(tellClients({ type: "anmin-flush" })); }
});
