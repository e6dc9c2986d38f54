// Live calls: the gateway's stream keeps the list current without reloads; the tenant's outbound calls show while they
// ring, and with the reason when they failed, whoever placed them.
import {h, fill, duration} from './dom.js';
import {follow, may} from './api.js';
import {failedBecause} from './dial.js';

/** A session's states, and a dial's before it has a session (DIALING, ANSWERED), that belong among the live calls. */
const RUNNING = new Set(['LIVE', 'ENDING', 'DIALING', 'ANSWERED']);
/**
 * The outbound calls that may have no session and so get a row of their own: ringing, answered while the agent joins,
 * failed, and ended (an answered call the callee hung up on before the agent started a session has none; one that had
 * a session is that session's row).
 */
const DIAL_STATES = new Set(['DIALING', 'ANSWERED', 'FAILED', 'ENDED']);

/** Whether the stream's news of an outbound call keeps it among the dials that may need a row of their own. */
export const keepsDial = (call) => DIAL_STATES.has(call.state);

export function livePage({main, announce, signIn}) {
  const sessions = new Map();
  /** The tenant's outbound calls that may have no session, by room, as the gateway's stream last told of them. */
  const dials = new Map();
  /** The rooms whose call the stream told of since it (re)connected, until its 'ready'; null once it is ready. */
  let toldAgain = null;
  // An operator who sees every tenant's calls is told whose each one is.
  const everyTenant = may('tenants:all');
  const status = h('p', {class: 'status', role: 'status'}, 'Connecting…');
  const liveBody = h('tbody');
  const endedBody = h('tbody');
  const liveTable = table('Live calls', liveBody, 'live-calls', everyTenant);
  const endedTable = table('Recently ended', endedBody, 'ended-calls', everyTenant);
  const empty = h('p', {class: 'empty'}, 'No live calls right now. New calls appear here by themselves.');
  const noneEnded = h('p', {class: 'hint'}, 'No call has ended recently.');
  const heading = h('h1', {tabindex: -1}, 'Live calls');
  fill(main, heading, status, empty, liveTable, h('h2', {class: 'section'}, 'Recently ended'), noneEnded, endedTable);

  // One row per room, kept from update to update and patched in place: a link that has the keyboard's focus keeps it
  // while other calls start, change and end around it.
  const rows = new Map();
  const rowFor = (session) => {
    const existing = rows.get(session.room);
    if (existing) {
      patch(existing, session, everyTenant);
      return existing;
    }
    const created = row(session, everyTenant);
    rows.set(session.room, created);
    return created;
  };
  /**
   * Whether a dial shows in a row of its own: its room has no session, or only an older one (a room used again); once
   * the dial's session started, the session's row tells of it.
   */
  const dialShown = (call) => {
    const session = sessions.get(call.room);
    return !session || (!call.sessionId && Date.parse(call.requestedAt) > Date.parse(session.startedAt));
  };
  const render = () => {
    const dialRows = [...dials.values()].filter(dialShown).map(dialRow);
    const replaced = new Set(dialRows.map((dial) => dial.room));
    const all = [...[...sessions.values()].filter((session) => !replaced.has(session.room)), ...dialRows]
      .sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''));
    const live = all.filter((s) => RUNNING.has(s.state));
    const ended = all.filter((s) => !RUNNING.has(s.state)).slice(0, 20);
    const focused = document.activeElement;
    const focusInList = focused !== null && (liveBody.contains(focused) || endedBody.contains(focused));
    const liveRows = live.map(rowFor);
    const endedRows = ended.map(rowFor);
    const shown = new Set([...liveRows, ...endedRows]);
    for (const [room, element] of rows) {
      if (!shown.has(element)) {
        element.remove();
        rows.delete(room);
      }
    }
    place(liveBody, liveRows);
    place(endedBody, endedRows);
    empty.hidden = live.length > 0;
    liveTable.hidden = live.length === 0;
    noneEnded.hidden = ended.length > 0;
    endedTable.hidden = ended.length === 0;
    // A row that moved between the tables (its call ended) lost the focus on the way: it gets it back. One that left
    // the list hands it to the page's heading rather than to nowhere.
    if (focusInList && document.activeElement !== focused) {
      (focused.isConnected ? focused : heading).focus({preventScroll: true});
    }
  };
  // A dial has no session until it is answered, and a failed one never has: the stream tells of the tenant's outbound
  // calls themselves (whoever placed them), each shown in a row of its own until a session takes over.
  const stop = follow('/v1/stream', (name, data) => {
    if (name === 'session') {
      sessions.set(data.room, data);
      render();
    } else if (name === 'call') {
      toldAgain?.add(data.room);
      if (keepsDial(data)) dials.set(data.room, data);
      else dials.delete(data.room);
      render();
    } else if (name === 'ready') {
      // After a reconnect the stream starts with every call the gateway still knows: one it no longer tells of is gone.
      if (toldAgain) for (const room of [...dials.keys()]) if (!toldAgain.has(room)) dials.delete(room);
      toldAgain = null;
      render();
      status.textContent = 'Live: updates as calls start and end.';
    }
  }, (state, error) => {
    if (state === 'open') toldAgain = new Set();
    else if (state === 'failed' && error?.signInAgain) signIn(error.message);
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

/** The lists' columns; a Tenant column for a token that sees every tenant's calls (tenants:all). */
export function liveColumns(everyTenant) {
  return ['Room', ...(everyTenant ? ['Tenant'] : []), 'Direction', 'Caller', 'Callee', 'Agent', 'Duration', 'State'];
}

/** Whose call it is: the session's tenant, else (a dial with no session yet) the call's. */
export const tenantOf = (session) => session.tenant ?? session.call?.tenant ?? '—';

function table(caption, body, id, everyTenant) {
  return h('table', {id, class: 'calls'},
    h('caption', {class: 'visually-hidden'}, caption),
    h('thead', {}, h('tr', {}, liveColumns(everyTenant).map((title) => h('th', {scope: 'col'}, title)))),
    body);
}

/**
 * Puts the rows in the body in this order, moving as few as it can: rows that left it go first, then each wanted row
 * that is not yet where it belongs is inserted there (a new call above the others), so rows already in place stay put.
 */
function place(body, wanted) {
  const keep = new Set(wanted);
  for (const child of [...body.children]) {
    if (!keep.has(child)) child.remove();
  }
  wanted.forEach((element, i) => {
    const at = body.children[i] ?? null;
    if (at !== element) body.insertBefore(element, at);
  });
}

/** Brings a row up to date, cell by cell; the first cell, the room's link, stays as it is (a room's name never changes). */
function patch(element, session, everyTenant) {
  const fresh = [...row(session, everyTenant).cells];
  fresh.slice(1).forEach((cell, i) => {
    const old = element.cells[i + 1];
    if (!old.isEqualNode(cell)) old.replaceWith(cell);
  });
}

/** How long an ended dial without a session lasted: from its answer (else its request) to its end; undefined when unknown. */
export function dialLength(call) {
  const from = Date.parse(call?.answeredAt ?? call?.requestedAt);
  const to = Date.parse(call?.endedAt);
  return Number.isNaN(from) || Number.isNaN(to) ? undefined : Math.max(0, to - from);
}

/** A dial without a session, as a row of the list. */
const dialRow = (call) => ({room: call.room, state: call.state, direction: 'OUTBOUND', callerNumber: call.from,
  calleeNumber: call.to, startedAt: call.requestedAt, endReason: call.endReason, tenant: call.tenant, call});

/** The state, and why: a dial that rings or failed (with its reason) says so, even once its session started. */
function stateCell(session) {
  const call = session.call;
  const state = call?.state === 'DIALING' || call?.state === 'FAILED' ? call.state : session.state;
  const why = state === 'FAILED' ? failedBecause(call.failure)
    : state === 'ANSWERED' ? 'waiting for the agent' : state === 'DIALING' ? '' : session.endReason;
  return h('td', {}, h('span', {class: `state ${state.toLowerCase()}`}, state), why ? ` ${why}` : '');
}

function row(session, everyTenant) {
  const running = RUNNING.has(session.state);
  const length = running
    ? h('td', {'data-started': session.startedAt}, duration(Date.now() - Date.parse(session.startedAt)))
    : h('td', {}, duration(session.sessionEnded?.durationMs ?? dialLength(session.call)));
  return h('tr', {'data-room': session.room},
    h('td', {}, h('a', {href: `#/call/${encodeURIComponent(session.room)}`}, session.room)),
    everyTenant ? h('td', {}, tenantOf(session)) : null,
    h('td', {}, session.direction?.toLowerCase()),
    h('td', {}, session.callerNumber ?? '—'),
    h('td', {}, session.calleeNumber ?? '—'),
    h('td', {}, session.agentName ?? '—'),
    length,
    stateCell(session));
}
