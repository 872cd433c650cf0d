// Check-in desk, progressive enhancement (the page works without it: type a code or a name).
// - Where the browser can read QR codes from the camera (BarcodeDetector), a "scan" button fills
//   the code and submits the same form as typing does.
// - The count of people present refreshes every few seconds, so several volunteers at several
//   doors see the same figure.
(function () {
  'use strict';

  var count = document.getElementById('check-in-count');
  if (count && window.fetch && count.dataset.url && count.dataset.template) {
    var refresh = function () {
      window
        .fetch(count.dataset.url, {
          credentials: 'same-origin',
          headers: { Accept: 'application/json' },
        })
        .then(function (res) {
          return res.ok ? res.json() : null;
        })
        .then(function (body) {
          if (!body || typeof body.checkedIn !== 'number') return;
          var text = count.dataset.template
            .replace('{checkedIn}', String(body.checkedIn))
            .replace('{confirmed}', String(body.confirmed));
          var strong = count.querySelector('strong');
          if (strong && strong.textContent !== text) strong.textContent = text;
        })
        .catch(function () {});
    };
    window.setInterval(refresh, 5000);
  }

  var box = document.getElementById('scanner');
  var form = document.getElementById('check-in-code');
  if (!box || !form || !('BarcodeDetector' in window) || !navigator.mediaDevices) return;
  box.hidden = false;
  var video = document.getElementById('scan-video');
  document.getElementById('scan-start').addEventListener('click', function () {
    var detector = new window.BarcodeDetector({ formats: ['qr_code'] });
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' } })
      .then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        return video.play().then(function () {
          var look = function () {
            detector
              .detect(video)
              .then(function (codes) {
                if (codes.length > 0) {
                  stream.getTracks().forEach(function (track) {
                    track.stop();
                  });
                  form.elements.code.value = codes[0].rawValue;
                  form.submit();
                } else {
                  window.requestAnimationFrame(look);
                }
              })
              .catch(function () {
                window.requestAnimationFrame(look);
              });
          };
          look();
        });
      })
      .catch(function () {
        box.hidden = true;
      });
  });
})();
