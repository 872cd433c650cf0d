// Check-in desk, progressive enhancement: where the browser can read QR codes from the camera
// (BarcodeDetector), a "scan" button fills the code and submits the same form as typing does.
(function () {
  'use strict';
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
                  stream.getTracks().forEach(function (track) { track.stop(); });
                  form.elements.code.value = codes[0].rawValue;
                  form.submit();
                } else {
                  window.requestAnimationFrame(look);
                }
              })
              .catch(function () { window.requestAnimationFrame(look); });
          };
          look();
        });
      })
      .catch(function () { box.hidden = true; });
  });
})();
