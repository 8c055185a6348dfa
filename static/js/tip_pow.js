// Proof of work for the public tip form (tips/abuse.py). The page holds a challenge signed by
// the server (data-challenge) and a difficulty (data-bits); this finds a nonce such that
// sha256(challenge + nonce) starts with that many zero bits, using crypto.subtle, puts it in the
// hidden pow_nonce field and enables the send button. A person never waits for it: it starts
// when the page loads and usually ends while they paste the URL. No inline JS (CSP).
(function () {
  "use strict";

  var form = document.querySelector("form[data-pow-challenge]");
  if (!form) return;
  var challenge = form.getAttribute("data-pow-challenge");
  var bits = parseInt(form.getAttribute("data-pow-bits"), 10) || 0;
  var nonceField = form.querySelector("input[name=pow_nonce]");
  var challengeField = form.querySelector("input[name=challenge]");
  var status = document.querySelector("[data-pow-status]");
  var button = form.querySelector("button[type=submit]");
  var encoder = new TextEncoder();
  var solved = false;
  var submitWhenSolved = false;
  var BATCH = 512;

  function say(name) {
    if (!status) return;
    var text = status.getAttribute("data-" + name);
    if (text) status.textContent = text;
  }

  function zeroBits(buffer) {
    var bytes = new Uint8Array(buffer);
    var count = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { count += 8; continue; }
      var b = bytes[i];
      while ((b & 0x80) === 0) { count += 1; b <<= 1; }
      return count;
    }
    return count;
  }

  function hash(nonce) {
    return window.crypto.subtle.digest("SHA-256", encoder.encode(challenge + nonce));
  }

  function done(nonce) {
    solved = true;
    nonceField.value = String(nonce);
    challengeField.value = challenge;
    form.setAttribute("data-pow-solved", "true");
    say("ready");
    if (button) button.disabled = false;
    if (submitWhenSolved) form.requestSubmit ? form.requestSubmit(button) : form.submit();
  }

  function search(start) {
    var pending = [];
    for (var i = 0; i < BATCH; i++) pending.push(hash(start + i));
    Promise.all(pending).then(function (digests) {
      for (var j = 0; j < digests.length; j++) {
        if (zeroBits(digests[j]) >= bits) { done(start + j); return; }
      }
      window.setTimeout(function () { search(start + BATCH); }, 0);
    }, function () { say("unsupported"); });
  }

  form.addEventListener("submit", function (event) {
    if (!solved) {
      event.preventDefault();
      submitWhenSolved = true;
      say("waiting");
    }
  });

  if (!window.crypto || !window.crypto.subtle || !window.TextEncoder) {
    say("unsupported");
    return;
  }
  say("working");
  search(0);
})();
