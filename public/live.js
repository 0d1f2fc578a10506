// Live updates for the session and unassigned-requests pages over Server-Sent Events.
// The server renders every fragment (escaped), so this file only places them.
(function () {
  'use strict';

  function relativeAge(iso) {
    var seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
    var magnitude = Math.abs(seconds);
    if (magnitude < 5) return 'just now';
    var text = magnitude < 90 ? magnitude + ' s'
      : magnitude < 5400 ? Math.round(magnitude / 60) + ' min'
      : magnitude < 129600 ? Math.round(magnitude / 3600) + ' h'
      : Math.round(magnitude / 86400) + ' d';
    return seconds >= 0 ? text + ' ago' : 'in ' + text;
  }

  function refreshAges() {
    document.querySelectorAll('[data-since]').forEach(function (el) {
      el.textContent = relativeAge(el.getAttribute('data-since'));
    });
  }
  setInterval(refreshAges, 15000);

  var state = document.getElementById('live-state');
  var url = state && state.getAttribute('data-live-url');
  if (!url || !('EventSource' in window)) return;

  function say(text, broken) {
    state.textContent = text + ' ';
    var reload = document.createElement('a');
    reload.href = '';
    reload.textContent = broken ? 'Reload the page' : 'Reload';
    state.appendChild(reload);
    state.classList.toggle('broken', !!broken);
  }

  var source = new EventSource(url);
  source.addEventListener('open', function () {
    say('Live: new entries appear here as the wallet sends requests.', false);
  });
  source.addEventListener('error', function () {
    say('Live updates are interrupted; retrying.', true);
  });

  source.addEventListener('log', function (event) {
    var message = JSON.parse(event.data);
    var list = document.getElementById('log-entries');
    var empty = document.getElementById('log-empty');
    if (empty) empty.remove();
    if (document.getElementById('log-' + message.id)) return;
    // A repeated poll replaces its summary entry, which moves to the top with a new id.
    if (message.aggregate) {
      list.querySelectorAll('[data-aggregate]').forEach(function (old) {
        if (old.getAttribute('data-aggregate') === message.aggregate) old.remove();
      });
    }
    list.insertAdjacentHTML('afterbegin', message.html);
    list.firstElementChild.classList.add('new');
  });

  source.addEventListener('session', function (event) {
    var snapshot = JSON.parse(event.data);
    var status = document.getElementById('session-status');
    if (status) {
      status.textContent = snapshot.status;
      status.className = 'status status-' + snapshot.status;
    }
    if (snapshot.pendingClaims > 0 && !document.getElementById('supply-claims')) {
      window.location.reload();
      return;
    }
    var total = document.getElementById('log-total');
    if (total) total.textContent = String(snapshot.logTotal);
    Object.keys(snapshot.fragments || {}).forEach(function (id) {
      var target = document.getElementById(id);
      if (target) target.innerHTML = snapshot.fragments[id];
    });
  });
})();
