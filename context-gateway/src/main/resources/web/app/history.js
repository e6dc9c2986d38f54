// Past calls from the transcript service: filters, full-text search with highlighted hits, one call's transcript with
// downloads, and deletion with confirmation. An outbound call shows how its dial went; a failed one is a call of its own.
import {h, fill, field, duration, highlighted, time} from './dom.js';
import {ApiError, may, request, transcripts} from './api.js';
import {showLine, transcriptList} from './transcript.js';
import {OLDER_OUTCOMES, OUTCOMES, answererWords, dialFailed, outcomeWords} from './dial.js';

// The schemas' EndReason symbols.
const END_REASONS = ['', 'CALLER_HANGUP', 'AGENT_HANGUP', 'OPERATOR_HANGUP', 'SYSTEM_HANGUP', 'MAX_DURATION', 'NO_ANSWER', 'BUSY',
  'TRUNK_FAILURE', 'PARTICIPANT_REMOVED', 'ROOM_DELETED', 'ROOM_CLOSED', 'TRANSFERRED', 'WORKER_SHUTDOWN', 'ERROR', 'UNKNOWN',
  'WORKER_LOST', 'VOICEMAIL', 'ANSWERING_MACHINE', 'SILENCE_TIMEOUT'];

const DIRECTIONS = [['INBOUND', 'inbound'], ['OUTBOUND', 'outbound'], ['WEB', 'web'], ['UNKNOWN', 'unknown']];
const UNCLASSIFIED = 'unknown (not classified)';
const ANSWERERS = [['HUMAN', 'a person'], ['MACHINE', 'a machine'], ['UNKNOWN', UNCLASSIFIED]];

/** A select of [value, words] choices, "any" first, the address's choice selected. */
function choices(name, options, chosen, older) {
  const option = ([value, words]) => h('option', {value, selected: value === chosen}, words);
  return h('select', {name}, h('option', {value: ''}, 'any'), options.map(option),
    older ? h('optgroup', {label: older.label}, older.options.map(option)) : null);
}

export function historyPage({main, signIn}, query) {
  const inputs = {
    q: h('input', {type: 'search', name: 'q', value: query.get('q') ?? ''}),
    from: h('input', {type: 'datetime-local', name: 'from', value: query.get('from') ?? ''}),
    to: h('input', {type: 'datetime-local', name: 'to', value: query.get('to') ?? ''}),
    phone: h('input', {type: 'tel', name: 'phone', value: query.get('phone') ?? ''}),
    agent: h('input', {type: 'text', name: 'agent', value: query.get('agent') ?? ''}),
    direction: choices('direction', DIRECTIONS, query.get('direction')),
    outcome: choices('outcome', OUTCOMES, query.get('outcome'), {label: 'Older records', options: OLDER_OUTCOMES}),
    answeredBy: choices('answeredBy', ANSWERERS, query.get('answeredBy')),
    endReason: h('select', {name: 'endReason'}, END_REASONS.map((r) => h('option', {value: r, selected: r === query.get('endReason')}, r || 'any'))),
  };
  const results = h('div', {id: 'history-results'});
  // Says what the list holds after each page (politely: a screen reader finishes what it is reading first).
  const status = h('p', {class: 'status', id: 'history-status', role: 'status'});
  const more = h('button', {type: 'button', id: 'history-more', class: 'more', hidden: true}, 'Load more');
  const form = h('form', {class: 'panel filters', role: 'search', onsubmit: (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [name, input] of Object.entries(inputs)) if (input.value) next.set(name, input.value);
    if (query.get('limit')) next.set('limit', query.get('limit'));
    location.hash = `#/history?${next}`;
  }},
  field('Words said', inputs.q, 'Web search syntax: "exact phrase", or, -word'),
  field('From', inputs.from), field('To', inputs.to), field('Number', inputs.phone), field('Agent', inputs.agent),
  field('Direction', inputs.direction),
  field('Outcome', inputs.outcome, 'How an outbound call\'s dial went'),
  field('Answered by', inputs.answeredBy),
  field('End reason', inputs.endReason),
  h('button', {type: 'submit'}, 'Search'));
  const problem = h('p', {class: 'error', role: 'alert', hidden: true});
  fill(main, h('h1', {}, 'History'), form, status, results, problem, more);

  const controller = new AbortController();
  const list = pages(query, results, status, more, controller.signal);
  let busy = false;
  const load = async () => {
    if (busy) return;
    busy = true;
    problem.hidden = true;
    // aria-disabled rather than disabled while a page loads: a disabled button would lose the keyboard's focus.
    more.setAttribute('aria-disabled', 'true');
    try {
      await list.next();
    } catch (e) {
      if (e.name === 'AbortError') return;
      if (e instanceof ApiError && e.signInAgain) {
        signIn(e.message);
        return;
      }
      status.textContent = '';
      problem.textContent = e.message;
      problem.hidden = false;
    } finally {
      busy = false;
      more.removeAttribute('aria-disabled');
    }
  };
  more.addEventListener('click', load);
  load();
  return () => controller.abort();
}

const instant = (local) => (local ? new Date(local).toISOString() : null);

/**
 * The calls (or search hits) a query finds, a page at a time: next() asks for the following page with the last one's
 * nextCursor and adds its rows below the others. "Load more" shows while there is a next page. The page size is the
 * address's limit (1 to the transcript service's maximum), 50 when it names none.
 */
function pages(query, results, status, more, signal) {
  const filters = new URLSearchParams();
  if (query.get('from')) filters.set('from', instant(query.get('from')));
  if (query.get('to')) filters.set('to', instant(query.get('to')));
  if (query.get('agent')) filters.set('agent', query.get('agent'));
  const searching = Boolean(query.get('q'));
  if (searching) filters.set('q', query.get('q'));
  // The list and the search take the same session filters: the transcript service narrows both.
  for (const name of ['phone', 'direction', 'outcome', 'answeredBy', 'endReason']) {
    if (query.get(name)) filters.set(name, query.get(name));
  }
  filters.set('limit', /^\d+$/.test(query.get('limit') ?? '') ? query.get('limit') : '50');
  let cursor = null;
  let list = null;
  let shown = 0;
  let loaded = 0;

  return {
    async next() {
      const first = list === null;
      status.textContent = first ? 'Loading…' : 'Loading more…';
      const asked = new URLSearchParams(filters);
      if (cursor) asked.set('cursor', cursor);
      let rows;
      if (searching) {
        const page = await request(transcripts(`/v1/search?${asked}`), {signal, what: 'The search'});
        cursor = page.nextCursor ?? null;
        rows = page.results.map(hitItem);
      } else {
        const page = await request(transcripts(`/v1/sessions?${asked}`), {signal, what: 'The call list'});
        cursor = page.nextCursor ?? null;
        rows = page.sessions.map(sessionRow);
      }
      if (first) {
        list = searching ? h('ol', {class: 'hits', id: 'hits'}) : callTable();
        fill(results, list);
      }
      (searching ? list : list.tBodies[0]).append(...rows);
      shown += rows.length;
      loaded += 1;
      results.hidden = shown === 0;
      const noun = searching ? (shown === 1 ? 'hit' : 'hits') : (shown === 1 ? 'call' : 'calls');
      if (shown === 0 && !cursor) status.textContent = searching ? 'Nothing found.' : 'No calls match.';
      else if (shown === 0) status.textContent = 'Nothing on this page; there are more. Load more to look further.';
      else if (cursor) status.textContent = `${shown} ${noun} shown; there are more.`;
      else status.textContent = loaded === 1 ? `${shown} ${noun} found.` : `${shown} ${noun} shown: that is all.`;
      // The button leaves with the last page; the keyboard's focus goes on to the first row it brought rather than to nowhere.
      const hadFocus = document.activeElement === more;
      more.hidden = !cursor;
      if (hadFocus && !cursor) (rows[0]?.querySelector('a') ?? status.closest('main')).focus();
    },
  };
}

/** The past calls' columns; a Tenant column for a token that reads every tenant's transcripts (tenants:all). */
export function historyColumns(everyTenant) {
  return ['Room', ...(everyTenant ? ['Tenant'] : []), 'Started', 'Direction', 'Caller', 'Callee', 'Agent', 'Duration', 'Ended'];
}

function callTable() {
  return h('table', {class: 'calls', id: 'history'},
    h('caption', {class: 'visually-hidden'}, 'Past calls'),
    h('thead', {}, h('tr', {}, historyColumns(may('tenants:all')).map((t) => h('th', {scope: 'col'}, t)))),
    h('tbody'));
}

function sessionRow(s) {
  return h('tr', {'data-room': s.room},
    h('td', {}, h('a', {href: storedLink(s)}, s.room)),
    may('tenants:all') ? h('td', {}, s.tenant ?? '—') : null,
    h('td', {}, time(s.startedAt)), h('td', {}, s.direction?.toLowerCase()),
    h('td', {}, s.callerNumber ?? '—'), h('td', {}, s.calleeNumber ?? '—'), h('td', {}, s.agentName ?? '—'),
    h('td', {}, dialFailed(s) ? '—' : duration(s.durationMs)), endCell(s));
}

/**
 * How the call ended, or how its dial went: "Did not connect: Busy (SIP 486 Busy Here)" for a failed dial, else the end
 * reason, with who answered an outbound call below it ("Answered by a machine").
 */
function endCell(s) {
  if (dialFailed(s)) return h('td', {}, h('span', {class: 'state failed'}, 'Did not connect:'), ` ${outcomeWords(s)}`);
  const dial = outcomeWords(s);
  return h('td', {}, s.status === 'live' ? 'live' : s.endReason ?? '—', dial ? [h('br'), h('span', {class: 'meta'}, dial)] : null);
}

function hitItem(hit) {
  return h('li', {},
    h('a', {href: storedLink(hit.session)}, hit.session.room), ' ',
    h('span', {class: 'meta'}, [time(hit.session.startedAt), hit.segment.role.toLowerCase(), outcomeWords(hit.session)].filter(Boolean).join(' · ')), h('br'),
    h('span', {class: 'hit', dir: 'auto'}, highlighted(hit.highlight)));
}

const storedLink = (session) => `#/history/${encodeURIComponent(session.room)}?sessionId=${encodeURIComponent(session.sessionId)}`;

export function storedCallPage({main, signIn}, room, sessionId) {
  const base = `/v1/sessions/${encodeURIComponent(room)}`;
  const which = sessionId ? `sessionId=${encodeURIComponent(sessionId)}` : '';
  const lines = transcriptList();
  // Says what the transcript holds once it is loaded when that is not lines: none, or none because the call never connected.
  const note = h('p', {class: 'status', id: 'transcript-note', role: 'status'});
  const facts = h('dl', {class: 'facts', id: 'stored-facts'});
  const message = h('p', {role: 'status', class: 'status'});
  // Offered once the transcript is there: a room that holds no call of the token's tenant has nothing to download or delete.
  const downloads = h('p', {class: 'downloads', hidden: true}, 'Download: ',
    ['text', 'srt', 'vtt'].map((format) => h('button', {type: 'button', class: 'link', 'data-format': format,
      onclick: () => download(format).catch((e) => { message.textContent = e.message; })}, {text: 'Text', srt: 'SRT', vtt: 'WebVTT'}[format])));
  const remove = may('transcripts:delete')
    ? h('button', {type: 'button', class: 'danger', hidden: true, onclick: () => confirmDelete()}, 'Delete this call…') : null;
  fill(main, h('p', {}, h('a', {href: '#/history'}, '← History')), h('h1', {}, 'Call ', h('span', {class: 'room'}, room)),
    facts, downloads, remove, message, h('section', {class: 'panel', 'aria-label': 'Transcript'}, h('h2', {}, 'Transcript'), note, lines));

  const controller = new AbortController();
  request(transcripts(`${base}/transcript?${which}`), {signal: controller.signal, what: 'This call\'s transcript'}).then((transcript) => {
    const s = transcript.session;
    downloads.hidden = false;
    if (remove) remove.hidden = false;
    const failed = dialFailed(s);
    // A failed dial's row is the moment it failed, not a call that started and lasted no time.
    const answered = s.outcome === 'ANSWERED';
    fill(facts, [[failed ? 'Dial failed at' : 'Started', time(failed ? s.outcomeAt ?? s.startedAt : s.startedAt)],
      ['Direction', s.direction?.toLowerCase()], ['Caller', s.callerNumber], ['Callee', s.calleeNumber], ['Agent', s.agentName],
      ['Duration', failed ? null : duration(s.durationMs)], ['Ended', s.endReason],
      ['Dial outcome', answered ? 'Answered' : outcomeWords(s)], ['Answered at', answered ? time(s.outcomeAt) : null],
      ['Answered by', s.answeredBy ? answererWords(s.answeredBy) ?? UNCLASSIFIED : null],
      ['Why the dial failed', failed ? s.failureDetail : null]]
      .filter(([, v]) => v).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
    transcript.segments.forEach((segment) => showLine(lines, segment));
    lines.hidden = transcript.segments.length === 0;
    if (failed && transcript.segments.length === 0) note.textContent = `The call did not connect: ${outcomeWords(s)}.`;
    else if (transcript.segments.length === 0) note.textContent = 'This call has no lines.';
  }).catch((e) => {
    if (e.name === 'AbortError') return;
    if (e instanceof ApiError && e.signInAgain) signIn(e.message);
    else message.textContent = e.message;
  });

  async function download(format) {
    const response = await request(transcripts(`${base}/transcript?format=${format}${which ? `&${which}` : ''}`),
      {accept: format === 'text' ? 'text/plain' : format === 'srt' ? 'application/x-subrip' : 'text/vtt', raw: true});
    const blob = await response.blob();
    const link = h('a', {href: URL.createObjectURL(blob), download: `${room}.${format === 'text' ? 'txt' : format}`});
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    message.textContent = `Downloaded ${link.download}.`;
  }

  function confirmDelete() {
    const dialog = h('dialog', {class: 'confirm', 'aria-labelledby': 'confirm-title'},
      h('h2', {id: 'confirm-title'}, `Delete the call ${room}?`),
      h('p', {}, 'Its transcript is deleted for good. This cannot be undone.'),
      h('form', {method: 'dialog'},
        h('button', {value: 'cancel', autofocus: true}, 'Cancel'), ' ',
        h('button', {value: 'delete', class: 'danger'}, 'Delete')));
    dialog.addEventListener('close', async () => {
      dialog.remove();
      if (dialog.returnValue !== 'delete') return;
      try {
        await request(transcripts(`${base}${which ? `?${which}` : ''}`), {method: 'DELETE', what: 'This call'});
        location.hash = '#/history';
      } catch (e) {
        message.textContent = e.message;
      }
    });
    document.body.append(dialog);
    dialog.showModal();
  }
  return () => controller.abort();
}
