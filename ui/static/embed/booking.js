/* global document, window, location */
/*
 * Soshogle booking page embed. Paste where the page should appear:
 *   <script src="https://YOUR-SOSHOGLE/embed/booking.js" data-soshogle-booking="your-page-slug" async></script>
 * Optional: data-type="first-visit" opens one appointment type directly.
 * It puts the page in an iframe right after this tag and keeps the iframe as tall as the
 * page inside it, which says its height with postMessage({type: 'soshogle:height'}).
 */
(function () {
  var scripts = document.querySelectorAll('script[data-soshogle-booking]:not([data-soshogle-ready])');
  for (var i = 0; i < scripts.length; i++) mount(scripts[i]);

  function mount(script) {
    script.setAttribute('data-soshogle-ready', '');
    var origin = new URL(script.src, location.href).origin;
    var slug = script.getAttribute('data-soshogle-booking');
    var type = script.getAttribute('data-type');
    var frame = document.createElement('iframe');
    frame.src = origin + '/book/' + encodeURIComponent(slug) + '?embed=1' + (type ? '&type=' + encodeURIComponent(type) : '');
    frame.title = script.getAttribute('data-title') || 'Book an appointment';
    frame.loading = 'lazy';
    frame.style.cssText = 'width:100%;border:0;min-height:480px;height:640px;display:block;color-scheme:normal';
    script.parentNode.insertBefore(frame, script.nextSibling);
    window.addEventListener('message', function (event) {
      if (event.origin !== origin || event.source !== frame.contentWindow) return;
      var data = event.data;
      if (data && data.type === 'soshogle:height' && typeof data.height === 'number') frame.style.height = Math.ceil(data.height) + 'px';
    });
  }
})();
