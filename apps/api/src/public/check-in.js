// Check-in desk, progressive enhancement (the page works without it: type a code or a name).
// - With a camera, a "scan" button reads the QR code of the confirmation email — with the
//   browser's own reader where there is one (BarcodeDetector), else with jsQR (served from
//   /assets, loaded on first use) — fills the code and submits the same form as typing does.
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
  if (!box || !form || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  var video = document.getElementById('scan-video');

  // A reader of one video frame: the browser's own (BarcodeDetector: Chrome on Android, macOS,
  // ChromeOS), else jsQR on a canvas (Safari, Firefox, Chrome elsewhere), loaded on first use.
  var nativeReader = function () {
    var detector = new window.BarcodeDetector({ formats: ['qr_code'] });
    return Promise.resolve(function () {
      return detector.detect(video).then(function (codes) {
        return codes.length > 0 ? codes[0].rawValue : null;
      });
    });
  };
  var canvasReader = function () {
    var loaded = window.jsQR
      ? Promise.resolve()
      : new Promise(function (resolve, reject) {
          var script = document.createElement('script');
          script.src = box.dataset.decoder;
          script.onload = resolve;
          script.onerror = reject;
          document.head.appendChild(script);
        });
    return loaded.then(function () {
      var canvas = document.createElement('canvas');
      var context = canvas.getContext('2d', { willReadFrequently: true });
      return function () {
        var width = video.videoWidth;
        var height = video.videoHeight;
        if (!width || !height) return Promise.resolve(null);
        canvas.width = width;
        canvas.height = height;
        context.drawImage(video, 0, 0, width, height);
        var found = window.jsQR(context.getImageData(0, 0, width, height).data, width, height, {
          inversionAttempts: 'dontInvert',
        });
        return Promise.resolve(found ? found.data : null);
      };
    });
  };
  var reader =
    'BarcodeDetector' in window
      ? nativeReader
      : document.createElement('canvas').getContext
        ? canvasReader
        : null;
  if (!reader) return;
  box.hidden = false;

  document.getElementById('scan-start').addEventListener('click', function () {
    Promise.all([
      reader(),
      navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } }),
    ])
      .then(function (ready) {
        var read = ready[0];
        var stream = ready[1];
        video.srcObject = stream;
        video.hidden = false;
        return video.play().then(function () {
          var look = function () {
            read()
              .then(function (code) {
                if (code) {
                  stream.getTracks().forEach(function (track) {
                    track.stop();
                  });
                  form.elements.code.value = code;
                  form.submit();
                } else {
                  window.setTimeout(look, 120);
                }
              })
              .catch(function () {
                window.setTimeout(look, 120);
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
