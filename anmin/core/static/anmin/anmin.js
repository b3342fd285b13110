// Small progressive enhancements; every page works without this file. It loads the form kit's
// enhancements (forms.js) only on a page with a field that uses them: the others (the home page) save
// a request — on a phone's slow link and HTTP/1.1, a round trip (docs/offline.md, first screen).
(function () {
  "use strict";
  var src = document.body && document.body.getAttribute("data-forms-js");
  if (!src || !document.querySelector("select[data-filter], select[data-narrow-by], input[data-location=lat]")) return;
  var script = document.createElement("script");
  script.src = src;
  document.head.appendChild(script);
})();
(function () {
  "use strict";
  // A form's idempotency key belongs to its place in the browser's history, not to one download of
  // the page: going back to a form already sent fetches the page again (pages are no-store), with a
  // new key from the server, and sending it again made a second record. The key first used at this
  // place is kept in history.state and put back, so the repeat gets the first record (or, changed,
  // "这张表单已经提交过"); a form opened anew is a new place with a key of its own. A form kept for
  // offline use (data-offline-api) gets its first key here on the phone: a kept copy of the page
  // never repeats one.
  var inputs = document.querySelectorAll("form input[name=idempotency_key]");
  if (!inputs.length || !window.history || !history.replaceState) return;
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID().replace(/-/g, ""); }
    var b = window.crypto ? crypto.getRandomValues(new Uint8Array(16)) : [];
    var out = Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
    return out || String(Date.now()) + Math.random().toString(16).slice(2);
  }
  var state = history.state && typeof history.state === "object" ? history.state : {};
  var kept = {};
  var changed = false;
  Object.keys(state.anminFormKeys || {}).forEach(function (k) { kept[k] = state.anminFormKeys[k]; });
  Array.prototype.forEach.call(inputs, function (el, i) {
    var name = (el.form && el.form.getAttribute("action") || "") + "#" + i;
    if (kept[name]) { el.value = kept[name]; return; }
    if (!el.value || (el.form && el.form.hasAttribute("data-offline-api"))) { el.value = newKey(); }
    kept[name] = el.value;
    changed = true;
  });
  if (!changed) return;
  var next = {};
  Object.keys(state).forEach(function (k) { next[k] = state[k]; });
  next.anminFormKeys = kept;
  try { history.replaceState(next, ""); } catch (e) { /* a state the browser will not keep: as before */ }
})();
(function () {
  "use strict";
  // Show server-side conflict/validation messages that htmx would otherwise drop (409, 422).
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var status = evt.detail.xhr.status;
    if (status === 409 || status === 422 || status === 400) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });
  // Filter bars are folded on a phone (the records come first) and open on a wide screen.
  document.addEventListener("DOMContentLoaded", function () {
    if (window.matchMedia && window.matchMedia("(min-width: 50em)").matches) {
      document.querySelectorAll("details[data-fold-wide]").forEach(function (d) { d.open = true; });
    }
    // A form refused further down a page (a score among a unit's 考核 forms, a step under a record)
    // came back at the page's top, its "有 1 处需要更正" out of sight: the user took it for saved.
    var refused = document.querySelector("form .form-errors[role=alert]");
    if (refused) {
      var box = refused.getBoundingClientRect();
      if (box.top < 0 || box.bottom > window.innerHeight) { refused.scrollIntoView({ block: "center" }); }
    }
  });
  // A form with files posted on a slow link (a photo from a phone takes a minute at 400 kbps) showed
  // nothing while it went: a second tap started the upload again from nothing. Its buttons now say it is
  // on its way, and a tap within the next 15 s is not a second post; after that a tap retries. Only
  // uploads (multipart): a post answered with a download never leaves the page to reset its buttons.
  // Listened for on window, after the page's own handlers: a post the offline queue or htmx took over
  // is left alone.
  var SENDING_MS = 15000;
  function sendingWord() {
    var gettext = window.gettext || String;  // the page's language (jsi18n); Chinese without it
    return gettext("正在提交，请稍候…");
  }
  function settle(form) {
    delete form.dataset.sending;
    form.querySelectorAll("[data-sending-was]").forEach(function (b) {
      b.textContent = b.getAttribute("data-sending-was");
      b.removeAttribute("data-sending-was");
      b.removeAttribute("aria-busy");
    });
  }
  window.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (evt.defaultPrevented || !form || !form.getAttribute || form.enctype !== "multipart/form-data" ||
        (form.getAttribute("method") || "get").toLowerCase() !== "post") { return; }
    if (form.dataset.sending && Date.now() - Number(form.dataset.sending) < SENDING_MS) {
      evt.preventDefault();
      return;
    }
    form.dataset.sending = String(Date.now());
    form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) {
      if (b.hasAttribute("data-sending-was")) { return; }
      b.setAttribute("data-sending-was", b.textContent);
      b.setAttribute("aria-busy", "true");
      b.textContent = sendingWord();
    });
    setTimeout(function () { if (document.body.contains(form)) { settle(form); } }, SENDING_MS);
  });
  // Back to a page kept by the browser (back button): its forms are ready again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sending]").forEach(settle);
  });
  // A phone's photo is 3–4 MB (12 megapixels): a minute to send at 400 kbps, of which the server keeps
  // no more than 2,048 px on the longest side of a report's photo and none of the metadata
  // (core.attachments.photos). A picture chosen for a field that says what the server keeps
  // (data-scale-to, core.attachments.forms.MultipleFileField) is scaled to that here first, turned as
  // the camera meant, as a JPEG: a fraction of the bytes go over the air. A file the browser cannot
  // decode, or one already small, goes as it is; a field that says nothing (an attachment kept as sent)
  // is left alone. A form sent while its pictures are being scaled waits for them (a few hundred ms).
  var PHOTO_QUALITY = 0.85, PHOTO_WORTH = 600 * 1024;
  function scaledPhoto(file, side) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || file.size < PHOTO_WORTH || !window.createImageBitmap) {
      return Promise.resolve(file);
    }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fff";  // a transparent PNG on white, as the server's JPEG would have it
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) { bitmap.close(); }
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) { resolve(file); return; }
          resolve(new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg",
                           { type: "image/jpeg", lastModified: file.lastModified }));
        }, "image/jpeg", PHOTO_QUALITY);
      });
    }).catch(function () { return file; });
  }
  var scaling = new WeakMap();  // input → the promise of its scaled files
  document.addEventListener("change", function (evt) {
    var input = evt.target;
    var side = input && input.getAttribute ? Number(input.getAttribute("data-scale-to")) : 0;
    if (!side || input.type !== "file" || !input.files || !input.files.length || !window.DataTransfer) { return; }
    var chosen = Array.prototype.slice.call(input.files);
    if (!chosen.some(function (f) { return /^image\//.test(f.type) && f.size >= PHOTO_WORTH; })) { return; }
    input.setAttribute("data-scaling", "1");
    var done = Promise.all(chosen.map(function (f) { return scaledPhoto(f, side); })).then(function (files) {
      if (input.files.length === chosen.length && input.files[0] === chosen[0]) {  // not chosen again meanwhile
        var dt = new DataTransfer();
        files.forEach(function (f) { dt.items.add(f); });
        input.files = dt.files;
      }
    }).catch(function () { /* the files as chosen */ }).then(function () {
      scaling.delete(input);
      input.removeAttribute("data-scaling");
    });
    scaling.set(input, done);
  });
  // Before anyone else hears of the submit (capture, on the document): a form whose pictures are still
  // being scaled is sent once they are.
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    var pending = form && form.querySelectorAll ? form.querySelectorAll("input[type=file][data-scaling]") : [];
    if (!pending.length) { return; }
    evt.preventDefault();
    evt.stopImmediatePropagation();
    var submitter = evt.submitter || null;
    Promise.all(Array.prototype.map.call(pending, function (i) { return scaling.get(i); })).then(function () {
      if (form.requestSubmit) { form.requestSubmit(submitter); } else { form.submit(); }
    });
  }, true);
  // A button that removes something asks first (data-confirm="确定删除…？"); without this file it does not.
  document.addEventListener("click", function (evt) {
    var button = evt.target && evt.target.closest ? evt.target.closest("[data-confirm]") : null;
    if (button && !window.confirm(button.getAttribute("data-confirm"))) { evt.preventDefault(); }
  });
  // A full ID number or mobile number never goes into a URL: a search form (GET) holding one is
  // not sent; the server refuses such URLs anyway (PersonalNumbersInUrlMiddleware).
  var ID_OR_PHONE = /(^|[^0-9A-Za-z])(\d{17}[\dXx]|1[3-9]\d{9})(?![0-9A-Za-z])/;
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    // (getAttribute: a form with a field named "method" shadows form.method)
    if (!form || !form.getAttribute || (form.getAttribute("method") || "get").toLowerCase() !== "get") return;
    var fields = form.querySelectorAll("input[type=text], input[type=search], input:not([type])");
    for (var i = 0; i < fields.length; i++) {
      if (ID_OR_PHONE.test(fields[i].value.replace(/[\s-]/g, ""))) {
        evt.preventDefault();
        var gettext = window.gettext || String;
        fields[i].setCustomValidity(form.dataset.numberMessage ||
          gettext("身份证号码和手机号不能放在网址中，请用“按身份证号码/电话精确查找”。"));
        fields[i].reportValidity();
        fields[i].addEventListener("input", function () { this.setCustomValidity(""); }, { once: true });
        return;
      }
    }
  });
})();
