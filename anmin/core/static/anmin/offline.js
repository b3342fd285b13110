// The offline field app on every page (docs/offline.md): registers the service worker, keeps the
// user's lists (encrypted, offline-store.js) and the pages they may fill in with no network, puts a
// form marked data-offline-api into the outbox when there is no network (the workbench's forms always),
// shows the queue ("3 条待上传") and sends it when the network comes back, with backoff, each
// submission under the Idempotency-Key made on the phone (so a retry never makes a second record).
// Forms marked data-offline-gps take the phone's position and its accuracy when first used.
// Its messages come from the JavaScript catalogue (djangojs, core.views.i18n); Chinese without it.
(function () {
  "use strict";
  var gettext = window.gettext || function (s) { return s; };
  var ngettext = window.ngettext || function (s, p, n) { return n === 1 ? s : p; };
  function fmt(s, values) { return s.replace(/%\((\w+)\)s/g, function (_, k) { return String(values[k]); }); }
  if (!("indexedDB" in window) || !window.crypto || !crypto.subtle || !window.AnminStore) { return; }
  var S = window.AnminStore;
  var body = document.body;
  var user = body.dataset.user || "";
  var dataUrl = body.dataset.offlineData;
  var shift = parseInt(body.dataset.clockShift || "0", 10) || 0;
  var flushing = null;
  var timer = null;
  var BACKOFF_MAX = 10 * 60 * 1000;
  // What the app fetches by itself sets no session cookie (core.middleware.BackgroundRequestMiddleware).
  var BACKGROUND = { "X-Anmin-Background": "1" };

  function newKey() {
    if (crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
  }
  // The worker's moment on the business clock (the server says how far it stands from the real one).
  function recordedNow() { return new Date(Date.now() + shift * 1000).toISOString(); }
  // A moment as the city's local time, whatever zone the phone is set to: the server's time zone
  // (data-time-zone, Asia/Shanghai) through Intl, else its current offset (data-tz-offset).
  var zone = body.dataset.timeZone || "";
  var tzOffset = parseInt(body.dataset.tzOffset || "0", 10) || 0;
  var zoned = null;
  try {
    zoned = zone ? new Intl.DateTimeFormat("en-US", { timeZone: zone, year: "numeric", month: "2-digit",
                                                      day: "2-digit", hour: "2-digit", minute: "2-digit",
                                                      hourCycle: "h23" }) : null;
    if (zoned && !zoned.formatToParts) { zoned = null; }
  } catch (e) { zoned = null; }  // (an unknown zone: the offset)
  // "2020-12-10T09:30" (the value of a datetime-local field) for a moment in milliseconds.
  function localIso(ms) {
    if (zoned) {
      var p = {};
      zoned.formatToParts(new Date(ms)).forEach(function (x) { p[x.type] = x.value; });
      return p.year + "-" + p.month + "-" + p.day + "T" + p.hour + ":" + p.minute;
    }
    return new Date(ms + tzOffset * 60000).toISOString().slice(0, 16);
  }
  // A moment as the pages show one ("2020-12-10 09:30", Django's "Y-m-d H:i").
  function shown(ms) { return localIso(ms).replace("T", " "); }
  // The worker's moment on the business clock as the server's local time, for a datetime-local field.
  function localNow() { return localIso(Date.now() + shift * 1000); }
  function fillNow(root) {
    root.querySelectorAll("input[data-offline-now]").forEach(function (el) { el.value = localNow(); });
  }
  function cookie(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }
  function text(el, value) { if (el) { el.textContent = value; } }

  // ---- the service worker and what the phone keeps ----------------------------------------
  if ("serviceWorker" in navigator && body.dataset.sw) {
    navigator.serviceWorker.register(body.dataset.sw, { scope: "/" }).catch(function () {});
    navigator.serviceWorker.addEventListener("message", function (e) {
      if (e.data && e.data.type === "anmin-flush") { flush(); }
    });
  }

  function keepPages(urls) {
    if (!window.caches) { return Promise.resolve(); }
    return caches.open("anmin-pages").then(function (cache) {
      // One after the other: a phone on a weak signal, and a server that is not hurried.
      return urls.reduce(function (p, url) { return p.then(function () { return keep(cache, url); }); }, Promise.resolve());
    });
  }

  function keep(cache, url) {
        return fetch(url, { credentials: "same-origin", headers: BACKGROUND }).then(function (r) {
          if (!r.ok || r.redirected) { return; }
          return r.clone().text().then(function (html) {
            var assets = [];
            html.replace(/(?:src|href)="(\/static\/[^"]+)"/g, function (_, a) { assets.push(a); });
            return Promise.all([cache.put(url, r), caches.open("anmin-static").then(function (sc) {
              return Promise.all(assets.map(function (a) {
                return sc.match(a).then(function (hit) { return hit || sc.add(a).catch(function () {}); });
              }));
            })]);
          });
        }).catch(function () {});
  }

  // Contact: the server's lists for this user (or, signed out / deactivated, "clear": drop them).
  // Signed in, at most every ten minutes (and always on the workbench or when the network returns):
  // every page view must not cost four more requests.
  var REFRESH_EVERY = 10 * 60 * 1000;
  function refresh(force) {
    if (!dataUrl || !navigator.onLine) { return Promise.resolve(); }
    var stamp = "anmin-offline-refreshed-" + user;
    var last = 0;
    try { last = parseInt(sessionStorage.getItem(stamp) || "0", 10) || 0; } catch (e) { last = 0; }
    if (user && !force && !document.querySelector("[data-outbox-list]") && Date.now() - last < REFRESH_EVERY) {
      return Promise.resolve();
    }
    return fetch(dataUrl, { credentials: "same-origin", headers: { Accept: "application/json", "X-Anmin-Background": "1" } }).then(function (r) {
      if (!r.ok) { return; }
      return r.json().then(function (data) {
        if (data.clear) { return S.dropLists(); }  // signed out or deactivated
        if (!user || String(data.user.id) !== String(user)) { return; }
        shift = data.clock_shift_seconds || 0;
        return S.keyFor(user).then(function (key) { return S.saveLists(key, data); })
          .then(function () { return keepPages(data.pages || []); })
          .then(function () {
            try { sessionStorage.setItem(stamp, String(Date.now())); } catch (e) { /* private mode */ }
            body.dataset.offlineReady = "1";
            drawLists(data);
          });
      });
    }).catch(function () {});
  }

  // ---- the outbox -------------------------------------------------------------------------
  function mine() { return user ? S.items(user) : Promise.resolve([]); }

  function formSummary(form) {
    var label = form.dataset.offlineLabel || document.title.split(" · ")[0];
    var first = form.querySelector("textarea, select[data-offline-pick]");
    var detail = "";
    if (first && first.tagName === "SELECT" && first.selectedIndex >= 0) { detail = first.options[first.selectedIndex].text; }
    else if (first) { detail = first.value.slice(0, 30); }
    return detail ? fmt(gettext("%(label)s：%(detail)s"), { label: label, detail: detail }) : label;
  }

  function capture(form) {
    var recorded = form.querySelector("[name=recorded_at]");
    if (recorded && !recorded.value) { recorded.value = recordedNow(); }
    var fields = [];
    var files = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || name === "idempotency_key") { return; }
      if (value instanceof Blob) { if (value.size) { files.push({ field: name, file: value }); } return; }
      if (value === "") { return; }
      fields.push([name, value]);
    });
    var item = { id: newKey(), api: form.dataset.offlineApi, mode: form.dataset.offlineMode || "api",
                 label: form.dataset.offlineLabel || "", summary: formSummary(form), page: location.pathname };
    var replaces = form.dataset.outboxReplaces;
    return S.keyFor(user).then(function (key) { return S.enqueue(key, user, item, fields, files); })
      .then(function (row) {
        if (!replaces) { return row; }
        // the corrected record is queued (a new key: the refused one's answer is kept by the server);
        // only now is the refused one dropped, so the record is never in neither place
        delete form.dataset.outboxReplaces;
        if (history.replaceState) { history.replaceState(null, "", location.pathname + location.search); }
        return S.remove(replaces).then(function () { return row; });
      });
  }

  // A refused record opened again in its form (修改): its fields and photos put back, the server's
  // message above the form; sending it queues the corrected record in place of the refused one.
  function reopen(id) {
    return S.currentKey().then(function (key) {
      if (!key) { return; }
      return mine().then(function (rows) {
        var row = rows.filter(function (r) { return r.id === id; })[0];
        var form = row && document.querySelector('form[data-offline-api="' + row.api + '"]');
        if (!form) { return; }
        return S.body(key, row).then(function (b) {
          var texts = {};
          var photos = {};
          b.form.forEach(function (value, name) {
            if (value instanceof Blob) { (photos[name] = photos[name] || []).push(value); }
            else { (texts[name] = texts[name] || []).push(value); }
          });
          Object.keys(texts).forEach(function (name) { put(form, name, texts[name]); });
          Object.keys(photos).forEach(function (name) {
            var input = form.querySelector('input[type=file][name="' + name + '"]');
            if (!input || typeof DataTransfer === "undefined") { return; }
            var dt = new DataTransfer();
            photos[name].forEach(function (f) { dt.items.add(new File([f], f.name || "photo.jpg", { type: f.type })); });
            input.files = dt.files;
          });
          form.dataset.outboxReplaces = row.id;
          var note = document.createElement("div");
          note.className = "messages outbox-note";
          note.setAttribute("role", "alert");
          note.dataset.outboxReopened = row.id;
          text(note, fmt(gettext("正在修改被退回的记录：%(error)s。改正后提交，将替换原记录重新上传。"),
                         { error: row.error || STATUS[row.status] || "" }));
          form.parentNode.insertBefore(note, form);
          note.scrollIntoView({ block: "nearest" });
        });
      });
    });
  }

  function put(form, name, values) {
    var els = form.querySelectorAll('[name="' + name + '"]');
    els.forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") { el.checked = values.indexOf(el.value) >= 0; }
      else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = values.indexOf(o.value) >= 0; });
      } else if (el.type !== "file") { el.value = values[0]; }
    });
  }

  function afterQueued(form) {
    form.reset();
    fillNow(form);
    form.querySelectorAll("[name=recorded_at], [name=gps_accuracy]").forEach(function (el) { el.value = ""; });
    if ("offlineGps" in form.dataset) { // the next record takes its own position
      form.querySelectorAll("[name=latitude], [name=longitude]").forEach(function (el) { el.value = ""; });
    }
    var note = document.querySelector("[data-outbox-note]");
    if (!note) {
      note = document.createElement("div");
      note.className = "messages outbox-note";
      note.setAttribute("role", "status");
      note.dataset.outboxNote = "";
      form.parentNode.insertBefore(note, form);
    }
    text(note, navigator.onLine ? gettext("已保存，正在上传…") : gettext("当前无网络：已保存到本机的待上传队列，联网后自动上传。"));
    note.scrollIntoView({ block: "nearest" });
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.ready.then(function (reg) {
        if (reg.sync) { return reg.sync.register("anmin-outbox"); }
      }).catch(function () {});
    }
    return drawQueue().then(function () { flush(); });
  }

  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (!form || !form.dataset || !form.dataset.offlineApi || !user) { return; }
    var recorded = form.querySelector("[name=recorded_at]");
    if (recorded && !recorded.value) { recorded.value = recordedNow(); }
    // the page posts it as usual — but a refused record being corrected goes through the queue,
    // which drops the refused one once the corrected one is kept
    if (navigator.onLine && !("offlineAlways" in form.dataset) && !form.dataset.outboxReplaces) { return; }
    evt.preventDefault();
    var button = form.querySelector("[type=submit]");
    if (button) { button.disabled = true; }
    capture(form).then(function () { return afterQueued(form); }).catch(function (err) {
      window.alert(fmt(gettext("保存到本机失败：%(error)s"), { error: err }));
    }).then(function () { if (button) { button.disabled = false; } });
  });

  function backoff(row) {
    row.attempts += 1;
    var wait = Math.min(BACKOFF_MAX, 2000 * Math.pow(2, row.attempts - 1));
    row.nextAt = Date.now() + wait * (0.75 + Math.random() * 0.5);
  }

  // A page's answer (mode "page"): a redirect to the record is success, the login page means signed
  // out, a form shown again carries its errors.
  function pageAnswer(row, r) {
    if (r.redirected && new URL(r.url).pathname.indexOf("/login/") === 0) {
      row.status = "signin"; row.error = gettext("登录已过期：请重新登录，登录后自动上传。"); return S.update(row);
    }
    if (r.ok) { sent.push(fmt(gettext("%(label)s 已上传"), { label: labelOf(row) })); return S.remove(row.id); }
    if (r.status >= 500 || r.status === 409 || r.status === 429) { row.status = "pending"; backoff(row); return S.update(row); }
    return r.text().then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var errors = Array.prototype.map.call(doc.querySelectorAll(".field-error, .form-errors, .page-head + p"), function (e) {
        var row2 = e.closest("[data-field]");
        var label = row2 ? row2.querySelector("label") : null;
        return (label ? label.textContent.replace("*", "") + "：" : "") + e.textContent.trim();
      }).filter(Boolean);
      row.status = "rejected";
      row.error = errors.join("；") || ("HTTP " + r.status);
      return S.update(row);
    });
  }

  function send(key, row) {
    var page = row.mode === "page";
    return S.body(key, row).then(function (b) {
      row.status = "sending";
      if (page) { b.form.append("idempotency_key", row.id); }
      return S.update(row).then(function () {
        return fetch(row.api, {
          method: "POST", body: b.form, credentials: "same-origin",
          headers: { "Idempotency-Key": row.id, "X-CSRFToken": cookie("csrftoken"), "X-Anmin-Background": "1",
                     Accept: page ? "text/html" : "application/json" }
        });
      });
    }).then(function (r) {
      if (page) { return pageAnswer(row, r); }
      if (r.ok) { return r.json().catch(function () { return {}; }).then(function (d) { sentLog(row, d); return S.remove(row.id); }); }
      return r.json().catch(function () { return {}; }).then(function (err) {
        var message = err.message || ("HTTP " + r.status);
        if (err.errors) {
          var parts = [];
          Object.keys(err.errors).forEach(function (k) { parts = parts.concat(err.errors[k]); });
          // the first one as the server worded it, with its field's name (纬度：…); the parts have none
          if (parts.length) { parts[0] = err.message || parts[0]; message = parts.join("；"); }
        }
        if (r.status === 401) { row.status = "signin"; row.error = gettext("登录已过期：请重新登录，登录后自动上传。"); }
        else if (r.status === 409 && err.code === "idempotency_in_flight") { row.status = "pending"; backoff(row); }
        else if (r.status === 409) { row.status = "conflict"; row.error = message; }
        else if (r.status >= 500 || r.status === 429 || r.status === 408) { row.status = "pending"; row.error = message; backoff(row); }
        else { row.status = "rejected"; row.error = message; }
        return S.update(row);
      });
    }, function () { row.status = "pending"; row.error = ""; backoff(row); return S.update(row); });
  }

  function flush() {
    if (!user || !navigator.onLine) { return Promise.resolve(); }
    if (flushing) { return flushing; }
    flushing = S.currentKey().then(function (key) {
      if (!key) { return; }
      return mine().then(function (rows) {
        var due = rows.filter(function (r) { return (r.status === "pending" || r.status === "sending") && r.nextAt <= Date.now(); });
        return due.reduce(function (p, row) { return p.then(function () { return navigator.onLine ? send(key, row) : null; }); },
          Promise.resolve());
      });
    }).catch(function () {}).then(function () {
      flushing = null;
      return drawQueue();
    }).then(schedule);
    return flushing;
  }

  function schedule() {
    if (timer) { clearTimeout(timer); timer = null; }
    return mine().then(function (rows) {
      var next = rows.filter(function (r) { return r.status === "pending"; })
        .reduce(function (m, r) { return Math.min(m, r.nextAt); }, Infinity);
      if (next !== Infinity) { timer = setTimeout(flush, Math.max(500, next - Date.now())); }
    });
  }

  var sent = [];
  // A post the service worker kept has no label of its own (the worker has no catalogue).
  function labelOf(row) { return row.label || (row.mode === "page" ? gettext("无信号时保存的上报") : gettext("记录")); }
  function sentLog(row, answer) {
    sent.push(fmt(gettext("%(label)s %(number)s 已上传"), { label: labelOf(row), number: answer.number || answer.id || "" }));
  }

  // ---- drawing ------------------------------------------------------------------------------
  var STATUS = { pending: gettext("待上传"), sending: gettext("上传中"), signin: gettext("待登录后上传"),
                 rejected: gettext("被退回，请处理"), conflict: gettext("有冲突，请处理") };

  function drawQueue() {
    return mine().then(function (rows) {
      var waiting = rows.length;
      document.querySelectorAll("[data-outbox-count]").forEach(function (el) {
        el.hidden = waiting === 0;
        el.dataset.outboxCount = String(waiting);
        text(el, fmt(ngettext("%(n)s 条待上传", "%(n)s 条待上传", waiting), { n: waiting }));
      });
      // The form's note said 当前无网络 when the report was queued: once the queue is empty, it says
      // what was sent (a worker still on the form otherwise reads that nothing went).
      var note = document.querySelector("[data-outbox-note]");
      if (note && waiting === 0 && sent.length) { text(note, sent.join("；")); }
      var list = document.querySelector("[data-outbox-list]");
      if (!list) { return; }
      return S.currentKey().then(function (key) {
        return Promise.all(rows.map(function (r) { return key ? S.summary(key, r) : ""; }));
      }).then(function (summaries) {
        list.textContent = "";
        rows.forEach(function (r, i) {
          var li = document.createElement("li");
          li.dataset.outboxItem = r.id;
          li.dataset.status = r.status;
          var title = document.createElement("strong");
          text(title, summaries[i] || labelOf(r));
          var meta = document.createElement("small");
          // (when it was queued, on the business clock like the record's own 记录时间)
          text(meta, " " + shown(r.created + shift * 1000) + " · " + (STATUS[r.status] || r.status));
          li.appendChild(title);
          li.appendChild(meta);
          if (r.error && r.status !== "pending") {
            var err = document.createElement("div");
            err.className = "field-error";
            err.setAttribute("role", "alert");
            text(err, r.error);
            li.appendChild(err);
          }
          if ((r.status === "rejected" || r.status === "conflict") && r.page) {
            li.appendChild(button(gettext("修改"), function () {
              location.href = r.page + "#outbox=" + encodeURIComponent(r.id);
            }));
          }
          if (r.status === "rejected" || r.status === "conflict" || r.status === "signin") {
            li.appendChild(button(gettext("重新上传"), function () { r.status = "pending"; r.nextAt = 0; r.error = ""; S.update(r).then(flush); }));
            li.appendChild(button(gettext("删除"), function () {
              if (window.confirm(gettext("删除这条未上传的记录？删除后无法恢复。"))) { S.remove(r.id).then(drawQueue); }
            }));
          }
          list.appendChild(li);
        });
        var log = document.querySelector("[data-outbox-sent]");
        if (log) { text(log, sent.join("；")); }
        var empty = document.querySelector("[data-outbox-empty]");
        if (empty) { empty.hidden = rows.length > 0; }
      });
    });
  }

  function button(label, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button link";
    text(b, label);
    b.addEventListener("click", onClick);
    return b;
  }

  function drawLists(data) {
    if (!data) { return; }
    (data.lists || []).forEach(function (list) {
      document.querySelectorAll('select[data-offline-pick="' + list.key + '"]').forEach(function (select) {
        var chosen = select.value;
        select.querySelectorAll("option[data-kept]").forEach(function (o) { o.remove(); });
        list.items.forEach(function (item) {
          var o = document.createElement("option");
          o.value = item.value;
          o.dataset.kept = "";
          text(o, item.title + (item.subtitle ? " · " + item.subtitle : ""));
          select.appendChild(o);
        });
        select.value = chosen;
      });
    });
    var box = document.querySelector("[data-offline-lists]");
    if (!box) { return; }
    box.textContent = "";
    (data.lists || []).filter(function (l) { return !l.pick; }).forEach(function (list) {
      var section = document.createElement("details");
      section.className = "offline-list";
      section.dataset.list = list.key;
      var summary = document.createElement("summary");
      text(summary, fmt(gettext("%(label)s（%(count)s）"), { label: list.label, count: list.items.length + (list.truncated ? "+" : "") }));
      section.appendChild(summary);
      var ul = document.createElement("ul");
      list.items.forEach(function (item) {
        var li = document.createElement("li");
        var t = document.createElement(item.url ? "a" : "strong");
        if (item.url) { t.href = item.url; }
        text(t, item.title);
        li.appendChild(t);
        if (item.subtitle) { var s = document.createElement("small"); text(s, " " + item.subtitle); li.appendChild(s); }
        ul.appendChild(li);
      });
      section.appendChild(ul);
      box.appendChild(section);
    });
    var when = document.querySelector("[data-offline-when]");
    if (when) { text(when, fmt(gettext("本机数据更新于 %(time)s"), { time: shown(Date.parse(data.generated_at)) })); }
  }

  // ---- position: forms marked data-offline-gps (works with no network: it is the phone's GPS) ----
  function locate(form) {
    var lat = form.querySelector("[name=latitude]");
    var lon = form.querySelector("[name=longitude]");
    if (!lat || !lon || !("geolocation" in navigator) || form.dataset.locating) { return; }
    var accuracy = form.querySelector("[name=gps_accuracy]");
    var status = form.querySelector("[data-locate-status]");
    form.dataset.locating = "1";
    text(status, gettext("正在定位…"));
    navigator.geolocation.getCurrentPosition(function (pos) {
      delete form.dataset.locating;
      lat.value = pos.coords.latitude.toFixed(6);
      lon.value = pos.coords.longitude.toFixed(6);
      if (accuracy) { accuracy.value = Math.round(pos.coords.accuracy); }
      text(status, fmt(gettext("已获取位置（精度约 %(metres)s 米）"), { metres: Math.round(pos.coords.accuracy) }));
    }, function (err) {
      delete form.dataset.locating;
      text(status, fmt(gettext("无法获取位置：%(error)s"), { error: err.message }));
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }
  document.addEventListener("focusin", function (evt) {
    var form = evt.target && evt.target.closest ? evt.target.closest("form[data-offline-gps]") : null;
    var lat = form ? form.querySelector("[name=latitude]") : null;
    if (lat && !lat.value) { locate(form); }
  });

  // ---- start -------------------------------------------------------------------------------
  fillNow(document);
  if (/[?&]queued=1/.test(location.search)) { // a post the service worker kept (no signal)
    var list = document.querySelector("[data-outbox-list]");
    if (list) {
      var note = document.createElement("div");
      note.className = "outbox-note";
      note.setAttribute("role", "status");
      note.dataset.outboxNote = "";
      text(note, gettext("网络不通：刚才提交的内容已保存到本机的待上传队列，联网后自动上传。"));
      list.parentNode.insertBefore(note, list);
    }
  }
  // (A form's idempotency key is made on the phone by anmin.js: one per place in the history.)
  document.querySelectorAll("form.logout-form").forEach(function (form) {
    form.addEventListener("submit", function (evt) {
      mine().then(function (rows) {
        if (rows.length && !window.confirm(fmt(ngettext("%(n)s 条记录还未上传，退出后将从本机删除。确定退出？",
          "%(n)s 条记录还未上传，退出后将从本机删除。确定退出？", rows.length), { n: rows.length }))) { return; }
        form.dataset.confirmed = "1";
        form.submit();
      });
      if (!form.dataset.confirmed) { evt.preventDefault(); }
    });
  });
  window.addEventListener("online", function () { refresh(true).then(flush); });
  window.addEventListener("offline", drawQueue);

  var start = user ? S.session().then(function (s) {
    // Another user's store is wiped (keyFor); the same user's queue waiting for sign-in goes again.
    return S.keyFor(user).then(function () {
      if (!s || s.user !== String(user)) { return; }
      return mine().then(function (rows) {
        return Promise.all(rows.filter(function (r) { return r.status === "signin" || r.status === "sending"; })
          .map(function (r) { r.status = "pending"; r.nextAt = 0; r.error = ""; return S.update(r); }));
      });
    });
  }) : Promise.resolve();
  start.then(function () { return S.loadLists(); }).then(function (data) {
    if (data && String(data.user.id) === String(user)) { shift = data.clock_shift_seconds || shift; drawLists(data); }
    var reopened = /^#outbox=(.+)$/.exec(location.hash);
    return (reopened ? reopen(decodeURIComponent(reopened[1])) : Promise.resolve()).then(drawQueue);
  }).then(function () {
    // The workbench refreshes at once; other pages only after the worker has stayed a while (and at
    // most every ten minutes): reading a page must not race four more requests.
    if (document.querySelector("[data-outbox-list]") || !user) { return refresh(); }
    setTimeout(function () { refresh().then(flush); }, 8000);
  }).then(flush).catch(function () {});
})();
