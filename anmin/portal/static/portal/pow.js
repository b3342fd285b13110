/* Proof of work for the portal's forms when a network is over the rate limit (anmin/portal/pow.py).
   A form marked data-pow carries a signed challenge; on submit this finds a counter such that
   SHA-256("challenge:counter") starts with `difficulty` zero bits, puts it in pow_solution and posts
   the form. WebCrypto when the page is a secure context; otherwise a small SHA-256 in plain JS.
   No network request, no third party. */
(function () {
  "use strict";

  var K = [0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2];

  function sha256(bytes) { /* plain JS fallback: bytes is a Uint8Array; returns a Uint8Array(32) */
    var n = bytes.length, words = ((n + 9 + 63) >> 6) << 4, w = new Array(words).fill(0), i;
    for (i = 0; i < n; i++) { w[i >> 2] |= bytes[i] << (24 - (i % 4) * 8); }
    w[n >> 2] |= 0x80 << (24 - (n % 4) * 8);
    w[words - 1] = n * 8;
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var m = new Array(64);
    for (var off = 0; off < words; off += 16) {
      for (i = 0; i < 64; i++) {
        if (i < 16) { m[i] = w[off + i] | 0; } else {
          var a = m[i - 15], b = m[i - 2];
          var s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
          var s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
          m[i] = (m[i - 16] + s0 + m[i - 7] + s1) | 0;
        }
      }
      var A = h[0], B = h[1], C = h[2], D = h[3], E = h[4], F = h[5], G = h[6], H = h[7];
      for (i = 0; i < 64; i++) {
        var S1 = ((E >>> 6) | (E << 26)) ^ ((E >>> 11) | (E << 21)) ^ ((E >>> 25) | (E << 7));
        var t1 = (H + S1 + ((E & F) ^ (~E & G)) + K[i] + m[i]) | 0;
        var S0 = ((A >>> 2) | (A << 30)) ^ ((A >>> 13) | (A << 19)) ^ ((A >>> 22) | (A << 10));
        var t2 = (S0 + ((A & B) ^ (A & C) ^ (B & C))) | 0;
        H = G; G = F; F = E; E = (D + t1) | 0; D = C; C = B; B = A; A = (t1 + t2) | 0;
      }
      h[0] = (h[0] + A) | 0; h[1] = (h[1] + B) | 0; h[2] = (h[2] + C) | 0; h[3] = (h[3] + D) | 0;
      h[4] = (h[4] + E) | 0; h[5] = (h[5] + F) | 0; h[6] = (h[6] + G) | 0; h[7] = (h[7] + H) | 0;
    }
    var out = new Uint8Array(32);
    for (i = 0; i < 32; i++) { out[i] = (h[i >> 2] >>> (24 - (i % 4) * 8)) & 0xff; }
    return out;
  }

  function zeroBits(d) {
    var n = 0;
    for (var i = 0; i < d.length; i++) {
      if (d[i] === 0) { n += 8; continue; }
      return n + Math.clz32(d[i]) - 24;
    }
    return n;
  }

  var encoder = new TextEncoder();
  var subtle = window.crypto && window.crypto.subtle && window.isSecureContext ? window.crypto.subtle : null;

  function batch(challenge, start, size, bits) { /* resolves to the counter found, or -1 */
    var i;
    if (!subtle) {
      for (i = start; i < start + size; i++) {
        if (zeroBits(sha256(encoder.encode(challenge + ":" + i))) >= bits) { return Promise.resolve(i); }
      }
      return Promise.resolve(-1);
    }
    var jobs = [];
    for (i = start; i < start + size; i++) {
      jobs.push(subtle.digest("SHA-256", encoder.encode(challenge + ":" + i)));
    }
    return Promise.all(jobs).then(function (digests) {
      for (var j = 0; j < digests.length; j++) {
        if (zeroBits(new Uint8Array(digests[j])) >= bits) { return start + j; }
      }
      return -1;
    });
  }

  function solve(challenge, bits, progress) {
    var size = 2048;
    function step(start) {
      return batch(challenge, start, size, bits).then(function (found) {
        if (found >= 0) { return found; }
        progress(start + size);
        return new Promise(function (r) { setTimeout(r, 0); }).then(function () { return step(start + size); });
      });
    }
    return step(0);
  }

  document.querySelectorAll("form[data-pow]").forEach(function (form) {
    var challenge = form.querySelector("input[name=pow_challenge]");
    var solution = form.querySelector("input[name=pow_solution]");
    var status = form.querySelector("[data-pow-status]");
    var bits = parseInt(form.getAttribute("data-pow"), 10) || 18;
    var busy = false;
    form.addEventListener("submit", function (event) {
      if (solution.value) { return; }
      event.preventDefault();
      if (busy) { return; }
      busy = true;
      if (status) { status.textContent = status.getAttribute("data-working"); }
      solve(challenge.value, bits, function (tried) {
        if (status) { status.setAttribute("data-tried", String(tried)); }
      }).then(function (found) {
        solution.value = String(found);
        if (status) { status.textContent = status.getAttribute("data-done"); }
        form.submit();
      });
    });
  });
})();
