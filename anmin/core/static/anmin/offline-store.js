// The phone's encrypted store (docs/offline.md): IndexedDB "anmin-offline" with
//   keys   — "session": {key: CryptoKey (AES-GCM 256, non-extractable), user: id}
//   data   — "lists": the kept lists (encrypted)
//   outbox — one item per submission made on the phone, keyed by its Idempotency-Key:
//            {id, user, api, mode ("api" | "page"), label, created, status, attempts, nextAt, error, box: encrypted payload,
//             files: [{field, name, type, box}]}
// Everything personal is stored encrypted with the session key; the key never leaves the browser and
// is dropped with the whole store at logout (the server's Clear-Site-Data) or when another user signs in.
// Loaded by the pages (offline.js) and by the service worker (importScripts).
(function (root) {
  "use strict";
  var DB_NAME = "anmin-offline";
  var DB_VERSION = 1;
  var dbPromise = null;

  function req(r) {
    return new Promise(function (resolve, reject) {
      r.onsuccess = function () { resolve(r.result); };
      r.onerror = function () { reject(r.error); };
    });
  }

  function open() {
    if (!dbPromise) {
      var r = indexedDB.open(DB_NAME, DB_VERSION);
      r.onupgradeneeded = function () {
        var db = r.result;
        ["keys", "data", "outbox"].forEach(function (name) {
          if (!db.objectStoreNames.contains(name)) {
            db.createObjectStore(name, name === "outbox" ? { keyPath: "id" } : undefined);
          }
        });
      };
      dbPromise = req(r).then(function (db) {
        db.onversionchange = function () { db.close(); dbPromise = null; };
        return db;
      });
    }
    return dbPromise;
  }

  function tx(store, mode, fn) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(store, mode);
        var result;
        Promise.resolve(fn(t.objectStore(store))).then(function (r) { result = r; });
        t.oncomplete = function () { resolve(result); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    });
  }

  function get(store, key) { return tx(store, "readonly", function (s) { return req(s.get(key)); }); }
  function put(store, value, key) {
    return tx(store, "readwrite", function (s) { return req(key === undefined ? s.put(value) : s.put(value, key)); });
  }
  function del(store, key) { return tx(store, "readwrite", function (s) { return req(s.delete(key)); }); }
  function all(store) { return tx(store, "readonly", function (s) { return req(s.getAll()); }); }
  function clear(store) { return tx(store, "readwrite", function (s) { return req(s.clear()); }); }

  // ---- the session key ---------------------------------------------------------------------
  function session() { return get("keys", "session"); }

  // The key for this user: kept while the same user comes back (a session that timed out keeps its
  // queue); a different user first wipes everything of the previous one.
  function keyFor(user) {
    return session().then(function (s) {
      if (s && String(s.user) === String(user)) { return s.key; }
      return wipe().then(function () {
        return crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
      }).then(function (key) {
        return put("keys", { key: key, user: String(user), created: Date.now() }, "session").then(function () { return key; });
      });
    });
  }

  function currentKey() { return session().then(function (s) { return s ? s.key : null; }); }

  function encrypt(key, bytes) {
    var iv = crypto.getRandomValues(new Uint8Array(12));
    return crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, key, bytes).then(function (ct) {
      return { iv: iv, ct: ct };
    });
  }
  function decrypt(key, box) { return crypto.subtle.decrypt({ name: "AES-GCM", iv: box.iv }, key, box.ct); }
  function encryptJson(key, value) { return encrypt(key, new TextEncoder().encode(JSON.stringify(value))); }
  function decryptJson(key, box) {
    return decrypt(key, box).then(function (buf) { return JSON.parse(new TextDecoder().decode(buf)); });
  }

  // ---- kept lists --------------------------------------------------------------------------
  function saveLists(key, data) { return encryptJson(key, data).then(function (box) { return put("data", box, "lists"); }); }
  function loadLists() {
    return Promise.all([currentKey(), get("data", "lists")]).then(function (r) {
      if (!r[0] || !r[1]) { return null; }
      return decryptJson(r[0], r[1]).catch(function () { return null; });
    });
  }
  function dropLists() { return del("data", "lists"); }

  // ---- the outbox --------------------------------------------------------------------------
  // fields: [[name, value], …] (text); files: [{field, file: Blob/File}]
  function enqueue(key, user, item, fields, files) {
    return encryptJson(key, { fields: fields, summary: item.summary || "" }).then(function (box) {
      return Promise.all(files.map(function (f) {
        return f.file.arrayBuffer().then(function (buf) { return encrypt(key, buf); }).then(function (fbox) {
          return { field: f.field, name: f.file.name || "photo.jpg", type: f.file.type || "application/octet-stream", box: fbox };
        });
      })).then(function (encFiles) {
        var row = {
          id: item.id, user: String(user), api: item.api, mode: item.mode || "api", label: item.label || "",
          page: item.page || "",
          created: Date.now(), status: "pending", attempts: 0, nextAt: 0, error: "", box: box, files: encFiles
        };
        return put("outbox", row).then(function () { return row; });
      });
    });
  }

  function items(user) {
    return all("outbox").then(function (rows) {
      return rows.filter(function (r) { return user === undefined || r.user === String(user); })
        .sort(function (a, b) { return a.created - b.created; });
    });
  }

  function body(key, row) {
    return decryptJson(key, row.box).then(function (payload) {
      return Promise.all(row.files.map(function (f) {
        return decrypt(key, f.box).then(function (buf) { return { field: f.field, name: f.name, blob: new Blob([buf], { type: f.type }) }; });
      })).then(function (files) {
        var form = new FormData();
        payload.fields.forEach(function (pair) { form.append(pair[0], pair[1]); });
        files.forEach(function (f) { form.append(f.field, f.blob, f.name); });
        return { form: form, summary: payload.summary };
      });
    });
  }

  function summary(key, row) {
    return decryptJson(key, row.box).then(function (p) { return p.summary; }).catch(function () { return ""; });
  }

  function update(row) { return put("outbox", row); }
  function remove(id) { return del("outbox", id); }

  function wipe() {
    return Promise.all([clear("keys"), clear("data"), clear("outbox")]);
  }

  root.AnminStore = {
    keyFor: keyFor, currentKey: currentKey, session: session, saveLists: saveLists, loadLists: loadLists,
    dropLists: dropLists, enqueue: enqueue, items: items, body: body, summary: summary, update: update,
    remove: remove, wipe: wipe
  };
})(typeof self !== "undefined" ? self : this);
