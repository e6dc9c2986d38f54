// Live calls: the gateway's session stream keeps the list current without reloads.
import {h, fill, duration} from './dom.js';
import {follow} from './api.js';

const RUNNING = new Set(['LIVE', 'ENDING']);

export function livePage({main, announce, signIn}) {
  const sessions = new Map();
  const status = h('p', {class: 'status', role: 'status'}, 'Connecting…');
  const liveBody = h('tbody');
  const endedBody = h('tbody');
  const liveTable = table('Live calls', liveBody, 'live-calls');
  const endedTable = table('Recently ended', endedBody, 'ended-calls');
  const empty = h('p', {class: 'empty'}, 'No live calls right now. New calls appear here by themselves.');
  const noneEnded = h('p', {class: 'hint'}, 'No call has ended recently.');
  fill(main, h('h1', {}, 'Live calls'), status, empty, liveTable, h('h2', {class: 'section'}, 'Recently ended'), noneEnded, endedTable);

  const render = () => {
    const all = [...sessions.values()].sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''));
    const live = all.filter((s) => RUNNING.has(s.state));
    const ended = all.filter((s) => !RUNNING.has(s.state)).slice(0, 20);
    fill(liveBody, live.map(row));
    fill(endedBody, ended.map(row));
    empty.hidden = live.length > 0;
    liveTable.hidden = live.length === 0;
    noneEnded.hidden = ended.length > 0;
    endedTable.hidden = ended.length === 0;
  };
  const stop = follow('/v1/stream', (name, data) => {
    if (name === 'session') {
      sessions.set(data.room, data);
      render();
    } else if (name === 'ready') {
      status.textContent = 'Live: updates as calls start and end.';
    }
  }, (state, error) => {
    if (state === 'failed' && error?.signInAgain) signIn(error.message);
    else if (state === 'failed') announce(error.message);
    else if (state === 'retrying') status.textContent = `Reconnecting… (${error.message})`;
  }, {reopen: true});
  render();
  const ticker = setInterval(() => {
    for (const cell of main.querySelectorAll('[data-started]')) {
      cell.textContent = duration(Date.now() - Date.parse(cell.dataset.started));
    }
  }, 1000);
  return () => {
    stop();
    clearInterval(ticker);
  };
}

function table(caption, body, id) {
  return h('table', {id, class: 'calls'},
    h('caption', {class: 'visually-hidden'}, caption),
    h('thead', {}, h('tr', {}, ['Room', 'Direction', 'Caller', 'Callee', 'Agent', 'Duration', 'State']
      .map((title) => h('th', {scope: 'col'}, title)))),
    body);
}

function row(session) {
  const running = RUNNING.has(session.state);
  const length = running
    ? h('td', {'data-started': session.startedAt}, duration(Date.now() - Date.parse(session.startedAt)))
    : h('td', {}, duration(session.sessionEnded?.durationMs));
  return h('tr', {'data-room': session.room},
    h('td', {}, h('a', {href: `#/call/${encodeURIComponent(session.room)}`}, session.room)),
    h('td', {}, session.direction?.toLowerCase()),
    h('td', {}, session.callerNumber ?? '—'),
    h('td', {}, session.calleeNumber ?? '—'),
    h('td', {}, session.agentName ?? '—'),
    length,
    h('td', {}, h('span', {class: `state ${session.state.toLowerCase()}`}, session.state),
      session.endReason ? ` ${session.endReason}` : ''));
}
