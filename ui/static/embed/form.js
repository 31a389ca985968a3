/* global document, window, location */
/*
 * Soshogle form embed. Paste where the form should appear:
 *   <script src="https://YOUR-SOSHOGLE/embed/form.js" data-soshogle-form="FORM-ID" async></script>
 * It puts the form in an iframe right after this tag, tells the form this page's address and
 * its utm_* parameters (so a submission says where it came from), and keeps the iframe as
 * tall as the form, which says its height with postMessage({type: 'soshogle:height'}).
 */
(function () {
  var utmKeys = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'];
  var scripts = document.querySelectorAll('script[data-soshogle-form]:not([data-soshogle-ready])');
  for (var i = 0; i < scripts.length; i++) mount(scripts[i]);

  function mount(script) {
    script.setAttribute('data-soshogle-ready', '');
    var origin = new URL(script.src, location.href).origin;
    var here = new URL(location.href);
    var query = new URLSearchParams({ embed: '1', source: here.origin + here.pathname });
    utmKeys.forEach(function (key) {
      var value = here.searchParams.get(key);
      if (value) query.set(key, value);
    });
    var frame = document.createElement('iframe');
    frame.src = origin + '/f/' + encodeURIComponent(script.getAttribute('data-soshogle-form')) + '?' + query.toString();
    frame.title = script.getAttribute('data-title') || 'Form';
    frame.loading = 'lazy';
    frame.style.cssText = 'width:100%;border:0;min-height:120px;height:560px;display:block;color-scheme:normal';
    script.parentNode.insertBefore(frame, script.nextSibling);
    window.addEventListener('message', function (event) {
      if (event.origin !== origin || event.source !== frame.contentWindow) return;
      var data = event.data;
      if (data && data.type === 'soshogle:height' && typeof data.height === 'number') frame.style.height = Math.ceil(data.height) + 'px';
    });
  }
})();
