// Copy buttons: hidden until this script runs, so a page without JavaScript shows no dead controls.
(function () {
  'use strict';

  function selectText(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function confirm(button, text) {
    var label = button.textContent;
    var aria = button.getAttribute('aria-label');
    button.textContent = text;
    button.setAttribute('aria-label', text);
    setTimeout(function () {
      button.textContent = label;
      if (aria) button.setAttribute('aria-label', aria);
    }, 1500);
  }

  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    var target = document.getElementById(button.getAttribute('data-copy'));
    if (!target) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      var text = target.textContent.trim();
      // The clipboard API needs a secure context; elsewhere the text is selected for Ctrl+C.
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(
          function () { confirm(button, 'Copied'); },
          function () { selectText(target); confirm(button, 'Press Ctrl+C'); }
        );
      } else {
        selectText(target);
        confirm(button, 'Press Ctrl+C');
      }
    });
  });
})();
