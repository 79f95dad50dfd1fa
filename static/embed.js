/* slotlab embed: turns each
 *
 *   <slotlab-playground cmds="SET foo bar&#10;GET foo" view="trace" theme="dark"></slotlab-playground>
 *
 * into an iframe of the playground that sits next to this script, and keeps
 * the iframe as tall as its content (the playground posts
 * {type: "slotlab:resize", height} to this page).
 *
 * Attributes (all optional):
 *   cmds     command lines, one per line (or put them inside the element)
 *   autorun  "0" puts them in the prompt, one per Enter; anything else runs them
 *   view     all | console | map | trace
 *   theme    auto | light | dark
 *   engine   redis-7.0 | redis-7.4 | valkey-8 (the emulated version; script errors differ)
 *   lang     en | zh | ja (the page's language; otherwise the reader's browser decides)
 *   lesson   a lesson's id (hash-slots, transactions …): opens that lesson
 *   session  a "v1.…" session from the playground's Share panel (wins over cmds)
 *   height   the height in pixels before the playground reports its own
 *
 * No dependencies; attribute values only ever end up in the iframe's URL. */
(function () {
  'use strict';

  var TAG = 'slotlab-playground';
  var MIN_HEIGHT = 160;
  var MAX_HEIGHT = 5000;
  var script = document.currentScript;
  var base = new URL('./', (script && script.src) || window.location.href);
  var frames = [];

  function clamp(n) {
    return Math.max(MIN_HEIGHT, Math.min(MAX_HEIGHT, Math.ceil(n)));
  }

  function build(el) {
    if (el.querySelector('iframe.slotlab-frame')) {
      return;
    }
    var cmds = el.getAttribute('cmds');
    if (cmds === null) {
      cmds = (el.textContent || '')
        .split('\n')
        .map(function (line) { return line.trim(); })
        .filter(function (line) { return line !== ''; })
        .join('\n');
    }
    var params = new URLSearchParams();
    params.set('embed', '1');
    var session = el.getAttribute('session');
    var lesson = el.getAttribute('lesson');
    if (!session && cmds) {
      params.set('cmds', cmds);
      params.set('autorun', el.getAttribute('autorun') === '0' ? '0' : '1');
    } else if (!session && lesson) {
      params.set('lesson', lesson);
    }
    ['view', 'theme', 'engine', 'lang'].forEach(function (name) {
      var value = el.getAttribute(name);
      if (value) {
        params.set(name, value);
      }
    });
    var src = new URL('./', base);
    src.search = params.toString();
    if (session) {
      src.hash = 's=' + session;
    }

    var frame = document.createElement('iframe');
    frame.className = 'slotlab-frame';
    frame.src = src.href;
    frame.title = el.getAttribute('title') || 'Redis Cluster playground (slotlab)';
    frame.loading = 'lazy';
    frame.setAttribute('allow', 'clipboard-write');
    frame.style.width = '100%';
    frame.style.border = '0';
    frame.style.display = 'block';
    frame.style.height = clamp(Number(el.getAttribute('height')) || 460) + 'px';
    while (el.firstChild) {
      el.removeChild(el.firstChild);
    }
    el.style.display = 'block';
    el.appendChild(frame);
    frames.push(frame);
  }

  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || data.type !== 'slotlab:resize' || typeof data.height !== 'number') {
      return;
    }
    if (event.origin !== base.origin || !isFinite(data.height)) {
      return;
    }
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = clamp(data.height) + 'px';
      }
    }
  });

  if (window.customElements && !window.customElements.get(TAG)) {
    window.customElements.define(
      TAG,
      class extends HTMLElement {
        connectedCallback() {
          build(this);
        }
      }
    );
  }
})();
