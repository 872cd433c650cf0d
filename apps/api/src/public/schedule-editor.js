// Schedule editor, progressive enhancement. Without this script the page works with one form per
// session. With it, an organiser drags a session onto a room × time cell of the grid, or does the
// same with the keyboard (Enter or Space on a session picks it up, the arrow keys move across the
// cells, Enter or Space drops it, Escape cancels). Each move is saved through the JSON API with
// the version the page showed: when someone else changed the session meanwhile (409), the grid is
// refreshed and the organiser told. Texts come from the page (data attributes), never from here.
(function () {
  'use strict';
  if (!document.getElementById('schedule-dnd') || !window.fetch || !window.DOMParser) return;
  var main = document.getElementById('main');
  var picked = null; // { id, version, title }

  function config() {
    return document.getElementById('schedule-dnd');
  }
  function text(name, values) {
    var message = config().getAttribute('data-' + name) || '';
    Object.keys(values || {}).forEach(function (key) {
      message = message.split('{' + key + '}').join(values[key]);
    });
    return message;
  }
  function say(message) {
    document.getElementById('schedule-dnd-status').textContent = message;
  }
  function alarm(message) {
    document.getElementById('schedule-dnd-alert').textContent = message;
  }
  function all(selector) {
    return Array.prototype.slice.call(main.querySelectorAll(selector));
  }
  function cellOf(node) {
    return node && node.closest ? node.closest('td[data-room]') : null;
  }
  function itemOf(node) {
    return node && node.closest ? node.closest('.session-item[data-session]') : null;
  }

  function enhance() {
    var help = document.getElementById('schedule-dnd-help');
    help.textContent = text('help');
    help.hidden = false;
    all('.session-item[data-session]').forEach(function (item) {
      item.setAttribute('draggable', 'true');
      item.setAttribute('aria-describedby', 'schedule-dnd-help');
    });
    all('td[data-room]').forEach(function (cell) {
      cell.tabIndex = -1;
    });
  }

  function pick(item) {
    all('.dnd-picked').forEach(function (other) {
      other.classList.remove('dnd-picked');
    });
    picked = {
      id: item.getAttribute('data-session'),
      version: Number(item.getAttribute('data-version')),
      title: item.textContent.trim(),
    };
    item.classList.add('dnd-picked');
    item.setAttribute('aria-pressed', 'true');
  }

  function drop() {
    all('.dnd-picked').forEach(function (item) {
      item.classList.remove('dnd-picked');
      item.removeAttribute('aria-pressed');
    });
    all('.dnd-over').forEach(function (cell) {
      cell.classList.remove('dnd-over');
    });
    picked = null;
  }

  function focusCell(cell) {
    all('.dnd-over').forEach(function (other) {
      other.classList.remove('dnd-over');
    });
    cell.classList.add('dnd-over');
    cell.focus();
    say(cell.getAttribute('data-label'));
  }

  /** The cell beside `cell` in a direction, in the same day's table (null at the edge). */
  function neighbour(cell, key) {
    var row = cell.parentElement;
    var index = Array.prototype.indexOf.call(row.querySelectorAll('td[data-room]'), cell);
    if (key === 'ArrowLeft' || key === 'ArrowRight') {
      var cells = row.querySelectorAll('td[data-room]');
      return cells[index + (key === 'ArrowLeft' ? -1 : 1)] || null;
    }
    var next = key === 'ArrowUp' ? row.previousElementSibling : row.nextElementSibling;
    return next ? next.querySelectorAll('td[data-room]')[index] || null : null;
  }

  /** Reloads the page's content (grid, conflicts, forms) without leaving the page. */
  function refresh() {
    return fetch(window.location.pathname, {
      credentials: 'same-origin',
      headers: { Accept: 'text/html' },
    })
      .then(function (res) {
        return res.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('main');
        if (fresh) main.innerHTML = fresh.innerHTML;
        enhance();
      });
  }

  function labels(codes) {
    return codes
      .map(function (code) {
        var item = config().querySelector('li[data-code="' + code + '"]');
        return item ? item.textContent : code;
      })
      .join(' ; ');
  }

  function move(cell) {
    var session = picked;
    drop();
    if (!session) return;
    alarm('');
    say(text('saving'));
    fetch(config().getAttribute('data-endpoint') + session.id + '/placement', {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        roomId: cell.getAttribute('data-room'),
        startsAt: cell.getAttribute('data-start'),
        version: session.version,
      }),
    })
      .then(function (res) {
        return res.json().then(function (body) {
          return { status: res.status, body: body };
        });
      })
      .then(function (answer) {
        if (answer.status === 200)
          return refresh().then(function () {
            say(text('saved', { title: session.title, cell: cell.getAttribute('data-label') }));
            var moved = main.querySelector('td .session-item[data-session="' + session.id + '"]');
            if (moved) moved.focus();
          });
        if (answer.status === 409)
          return refresh().then(function () {
            say('');
            alarm(text('stale'));
          });
        var codes = (answer.body && answer.body.fields && answer.body.fields.placement) || [];
        say('');
        alarm(codes.length ? text('refused') + ' ' + labels(codes) : text('failed'));
      })
      .catch(function () {
        say('');
        alarm(text('failed'));
      });
  }

  document.addEventListener('dragstart', function (event) {
    var item = itemOf(event.target);
    if (!item) return;
    pick(item);
    event.dataTransfer.effectAllowed = 'move';
    event.dataTransfer.setData('text/plain', item.getAttribute('data-session'));
  });
  document.addEventListener('dragover', function (event) {
    var cell = cellOf(event.target);
    if (!cell || !picked) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    if (!cell.classList.contains('dnd-over')) {
      all('.dnd-over').forEach(function (other) {
        other.classList.remove('dnd-over');
      });
      cell.classList.add('dnd-over');
    }
  });
  document.addEventListener('drop', function (event) {
    var cell = cellOf(event.target);
    if (!cell || !picked) return;
    event.preventDefault();
    move(cell);
  });
  document.addEventListener('dragend', function () {
    if (picked) drop();
  });

  document.addEventListener('keydown', function (event) {
    var item = itemOf(event.target);
    var cell = cellOf(event.target);
    var activate = event.key === 'Enter' || event.key === ' ';
    if (cell && picked) {
      if (activate) {
        event.preventDefault();
        move(cell);
      } else if (event.key === 'Escape') {
        var id = picked.id;
        drop();
        say(text('cancelled'));
        var back = main.querySelector('.session-item[data-session="' + id + '"]');
        if (back) back.focus();
      } else if (/^Arrow/.test(event.key)) {
        event.preventDefault();
        var next = neighbour(cell, event.key);
        if (next) focusCell(next);
      }
      return;
    }
    if (item && activate) {
      event.preventDefault();
      pick(item);
      focusCell(cellOf(item) || main.querySelector('td[data-room]'));
      say(text('picked', { title: picked.title }));
    }
  });

  enhance();
})();
