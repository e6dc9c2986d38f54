// One call: its transcript as it is spoken (transcript service), its events and commands (gateway), and controls.
import {h, fill, field, duration, time} from './dom.js';
import {follow, may, request, transcripts} from './api.js';
import {aliasTag, showLine, transcriptList} from './transcript.js';
import {issuerWords, plain} from './text.js';
import {answererWords, dialWords, failureWords} from './dial.js';

export function callPage({main, announce, signIn}, room) {
  const path = `/v1/sessions/${encodeURIComponent(room)}`;
  let session = null;
  /** The room's outbound call, as the gateway's stream last told of it (on its own, or with the session). */
  let call = null;
  /** Where a transfer handed the caller over, once the room's events tell of one. */
  let transferredTo = null;
  /** Whether the gateway's stream has sent what it knew when the page opened. */
  let ready = false;
  /** The end reason, once the transcript service's stream told that the call ended (null until then). */
  let transcriptEnd = null;
  const facts = h('dl', {class: 'facts', id: 'call-facts'});
  const state = h('p', {class: 'call-state', id: 'call-state', role: 'status'}, 'Connecting…');
  const lines = transcriptList();
  const transcriptStatus = h('p', {class: 'status'}, 'Waiting for the transcript…');
  const events = h('ol', {class: 'events', id: 'events'});
  const commandRows = h('tbody');
  const commands = h('table', {class: 'commands', id: 'commands'},
    h('caption', {class: 'visually-hidden'}, 'Commands sent to this call'),
    h('thead', {}, h('tr', {}, ['Sent', 'Command', 'By', 'Outcome'].map((t) => h('th', {scope: 'col'}, t)))), commandRows);

  /**
   * The outbound call this page is about: the session's own, or a dial with no session yet (ringing, failed, answered
   * before the agent's session started). An older dial of the room is not the call of a session that started after it.
   */
  const dial = () => (call && (!session || ownCall(call)
    || (!call.sessionId && Date.parse(call.requestedAt) >= Date.parse(session.startedAt))) ? call : null);
  /** Whether the call is the one that brought the shown session about. */
  const ownCall = (c) => session !== null && (c.sessionId === session.sessionId || (session.call != null && session.call.commandId === c.commandId));
  /** Why the call takes no more commands, or null while it does. */
  const closed = () => whyClosed(session, dial(), transcriptEnd);
  /** While the dial has no session yet (it rings): why only a hang-up, which cancels it, is offered; null otherwise. */
  const onlyHangup = () => (closed() === null ? whyOnlyHangup(session, dial()) : null);
  /** Says why once the call takes no more commands: its actions are no longer offered. */
  const closedNote = h('p', {class: 'hint', id: 'controls-closed', hidden: true});
  const controls = may('calls:control') || may('calls:dial')
    ? controlPanel(path, closed, onlyHangup)
    : h('p', {class: 'hint'}, 'Your token may only watch this call (it lacks the scope calls:control).');

  fill(main,
    h('p', {}, h('a', {href: '#/live'}, '← Live calls')),
    h('h1', {}, 'Call ', h('span', {class: 'room'}, room)),
    state, facts,
    h('div', {class: 'call-grid'},
      h('section', {'aria-labelledby': 'transcript-title', class: 'panel transcript-panel'},
        h('h2', {id: 'transcript-title'}, 'Transcript'), transcriptStatus, lines),
      h('div', {class: 'side'},
        h('section', {'aria-labelledby': 'controls-title', class: 'panel'}, h('h2', {id: 'controls-title'}, 'Act on the call'),
          closedNote, controls),
        h('section', {'aria-labelledby': 'events-title', class: 'panel'}, h('h2', {id: 'events-title'}, 'Events'), events),
        h('section', {'aria-labelledby': 'commands-title', class: 'panel'}, h('h2', {id: 'commands-title'}, 'Commands'), commands))));

  /** Whether the call's dial failed before anything was said: its transcript is empty for good, not late. */
  const didNotConnect = () => dial()?.state === 'FAILED' && lines.children.length === 0;
  const tellTranscript = (text) => {
    const words = didNotConnect() ? 'No transcript: the call did not connect.' : text;
    if (transcriptStatus.textContent !== words) transcriptStatus.textContent = words;
  };
  const render = () => {
    const current = dial();
    // While it rings, once it failed, and until the agent's session starts, the call is where its dial is.
    const dialing = current && (!session || current.state === 'DIALING' || current.state === 'FAILED' || !ownCall(current));
    if (dialing) {
      setState(current.state === 'ANSWERED' ? `${dialWords(current)}; waiting for the agent…` : dialWords(current), current.state);
    } else {
      const told = sessionState(session, {transcriptEnd, ready, transferredTo});
      if (told) setState(told.text, told.which);
    }
    const ended = session?.state === 'ENDED';
    fill(facts,
      session ? [fact('Direction', session.direction?.toLowerCase()), fact('Caller', session.callerNumber),
        fact('Callee', session.calleeNumber), fact('Agent', session.agentName), fact('Transport', session.transport?.toLowerCase()),
        fact('Started', time(session.startedAt)),
        fact('Duration', h('span', ended ? {} : {'data-started': session.startedAt},
          duration(ended ? session.sessionEnded?.durationMs : Date.now() - Date.parse(session.startedAt)))),
        ended ? fact('Ended', `${time(session.endedAt)}${session.sessionEnded?.detail ? ` (${session.sessionEnded.detail})` : ''}`) : null]
        : current ? [fact('Direction', 'outbound'), fact('Callee', current.to), fact('Caller', current.from)] : null,
      current ? [fact('Dialled', time(current.requestedAt)),
        fact('Answered', current.answeredAt && `${time(current.answeredAt)}${answererWords(current.answeredBy) ? ` (${answererWords(current.answeredBy)})` : ''}`),
        fact('Why the dial failed', current.failure?.detail)] : null);
    const why = closed();
    const ringing = onlyHangup();
    // Once the call takes no more commands its actions are not offered: one used here stays (disabled) with its outcome.
    // While the dial rings only the hang-up works (it cancels the dial); the rest waits for the agent's session.
    main.querySelectorAll('.control-form').forEach((form) => {
      const off = why !== null || (ringing !== null && form.dataset.endpoint !== 'hangup');
      form.querySelectorAll('button').forEach((b) => { b.disabled = off; });
      (form.closest('details') ?? form).hidden = off && !form.querySelector('output')?.textContent;
      // A ringing call has no agent to say a goodbye: the hang-up is at once, so its options are not offered.
      form.querySelectorAll('.session-only').forEach((option) => { option.hidden = ringing !== null; });
    });
    const note = why ?? ringing ?? '';
    if (closedNote.textContent !== note) closedNote.textContent = note;
    closedNote.hidden = note === '';
    if (didNotConnect()) tellTranscript('');
  };
  // Only a change is written: the state is a live region, and a screen reader would read the same words again.
  const setState = (words, which) => {
    const text = plain(words); // a transfer's destination is the sender's
    if (state.textContent !== text) state.textContent = text;
    state.className = `call-state ${which.toLowerCase()}`;
  };

  const stopGateway = follow(`/v1/stream?room=${encodeURIComponent(room)}`, (name, data) => {
    if (name === 'session') {
      // A new call in the room: the commands shown were the earlier call's (the gateway lists only the latest call's).
      if (session && session.sessionId !== data.sessionId) fill(commandRows);
      session = data;
      if (data.call) call = data.call;
      render();
    } else if (name === 'call') {
      // A dial has no session until it is answered (and a failed one never has): the stream tells of the call itself.
      call = data;
      render();
    } else if (name === 'event') {
      upsert(events, data.eventId, eventItem(data));
      if (data.type === 'CallEnded' && data.reason === 'TRANSFERRED' && data.transferTo) {
        transferredTo = data.transferTo;
        render();
      }
    } else if (name === 'command') {
      if (!ofShownCall(data, session)) return;
      upsert(commandRows, data.commandId, commandRow(data));
      main.querySelectorAll(`output[data-command="${CSS.escape(data.commandId)}"]`)
        .forEach((output) => showOutcome(output, data));
    } else if (name === 'ready') {
      ready = true;
      render();
    }
  }, (streamState, error) => {
    if (streamState === 'failed' && error?.signInAgain) signIn(error.message);
    else if (streamState === 'failed') announce(error.message);
  }, {reopen: true});

  const stopTranscript = follow(transcripts(`${path}/transcript/stream`), (name, data) => {
    if (name === 'segment') {
      showLine(lines, data);
      tellTranscript(session?.state === 'ENDED' ? transcriptStatus.textContent : 'Live: new lines appear as they are said.');
    }
    else if (name === 'replayed') tellTranscript(data.segments ? 'Live: new lines appear as they are said.' : 'No lines yet; they appear as they are said.');
    else if (name === 'end') {
      transcriptEnd = data.endReason ?? 'no reason given';
      tellTranscript(`The call ended (${transcriptEnd}).`);
      render(); // the gateway may no longer know the call: it ended all the same
    }
  }, (streamState, error) => {
    if (streamState === 'retrying') tellTranscript(error.status === 404 ? 'Waiting for the call\'s first line…' : `Reconnecting… (${error.message})`);
    else if (streamState === 'failed') tellTranscript(error.message);
  });

  const ticker = setInterval(() => {
    main.querySelectorAll('[data-started]').forEach((cell) => {
      cell.textContent = duration(Date.now() - Date.parse(cell.dataset.started));
    });
  }, 1000);
  return () => {
    stopGateway();
    stopTranscript();
    clearInterval(ticker);
  };
}

/**
 * What the page says of the call when its dial does not: {text, which (the state's class)}, or null while nothing is
 * known yet. An ended call is told as ended, also when only its transcript says so (the gateway no longer knows the
 * call, or never showed it to this token): never as a session yet to come.
 */
export function sessionState(session, {transcriptEnd = null, ready = false, transferredTo = null} = {}) {
  if (session) {
    const endReason = session.endReason ?? session.callEnded?.reason;
    if (session.state === 'ENDED') {
      return {text: endReason === 'TRANSFERRED'
        ? `Ended: TRANSFERRED (the caller was handed over${transferredTo ? ` to ${transferredTo}` : ''})`
        : `Ended: ${endReason ?? 'unknown reason'}`, which: 'ENDED'};
    }
    return {text: session.state === 'ENDING' ? `Ending: ${endReason ?? ''}` : 'Live', which: session.state};
  }
  if (transcriptEnd) return {text: `Ended: ${transcriptEnd}`, which: 'ENDED'};
  if (ready) return {text: 'No live session is known for this room yet; it appears here when it starts.', which: ''};
  return null;
}

/**
 * While the room's outbound call has no agent session yet (it rings, or was answered and the agent is joining), why
 * only a hang-up is offered: it cancels the call. Null when the call has a session (or none is being dialled). An older
 * session of the room that has ended does not count: the dial is the room's call now.
 */
export function whyOnlyHangup(session, current) {
  const live = session && session.state !== 'ENDED';
  if (live || !current || current.sessionId || !['DIALING', 'ANSWERED'].includes(current.state)) return null;
  return current.state === 'DIALING'
    ? 'The phone is still ringing: hanging up cancels the call. The other actions work once it is answered and the agent joins.'
    : 'The call was answered and the agent is joining: until then hanging up is the only action.';
}

/**
 * Why the call takes no more commands, or null while it does. current: the outbound call the page is about (a dial with
 * no session yet, or the session's own); transcriptEnd: the end reason the transcript's stream told, if it did.
 */
export function whyClosed(session, current, transcriptEnd = null) {
  if (current?.state === 'FAILED') return `The call did not connect: ${failureWords(current.failure)}.`;
  if (whyOnlyHangup(session, current)) return null; // a new dial in a room whose earlier session ended
  const ended = session ? session.state === 'ENDED' : (current?.state === 'ENDED' || (!current && transcriptEnd !== null));
  return ended ? 'The call has already ended.' : null;
}

const fact = (name, value) => (value ? [h('dt', {}, name), h('dd', {}, value)] : null);
const words = (type) => type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().replace(/^./, (c) => c.toUpperCase());

/** Session events whose names say less than these words; the others (and types this console does not know) are spelled out. */
const EVENT_NAMES = {
  CallFailed: 'Dial failed',
  AnswerClassified: 'Answering-machine check',
  DtmfReceived: 'Keypad tones received',
  DtmfSent: 'Keypad tones sent',
};

/**
 * One event: when, what, and the gateway's words for it. A transfer is named as one, with where the caller went; a
 * refused one says where to and why ("Transfer to tel:+15551234567 refused: Busy (SIP 486 Busy Here)"), the gateway's
 * full words (who asked, the call controller's detail) in its tooltip.
 */
function eventItem(event) {
  const transferred = event.reason === 'TRANSFERRED';
  const refused = event.type === 'TransferFailed';
  const to = event.transferTo ? ` to ${event.transferTo}` : '';
  let name = EVENT_NAMES[event.type] ?? words(event.type);
  let detail = event.detail;
  if (transferred && event.type === 'CallEnded') {
    name = `Call transferred${to}`;
  } else if (refused) {
    name = `Transfer${to} refused`;
    detail = failureWords({reason: event.reason, sipStatusCode: event.sipStatusCode, sipStatus: event.sipStatus});
  }
  return h('li', {'data-event': event.eventId, 'data-type': event.type, class: transferred ? 'transferred' : null,
    title: refused ? event.detail : null},
    h('time', {datetime: event.at}, time(event.at)), ' ', h('strong', {}, name), detail ? `: ${detail}` : '',
    transferred || refused ? [' ', h('span', {class: 'tag transfer'}, 'transfer')] : null);
}

function upsert(container, id, element) {
  element.dataset.id = id;
  const existing = [...container.children].find((child) => child.dataset.id === id);
  if (existing) existing.replaceWith(element);
  else container.append(element);
}

/**
 * Whether the command is one of the call the page shows: sent to (or answered for) the room's session shown, or naming no
 * session (a ringing dial's cancellation); not one of an earlier call in the room, decided after the new one started.
 */
export function ofShownCall(command, session) {
  return !session || !command.sessionId || command.sessionId === session.sessionId;
}

/** A command: who sent it is the id its token gave; the name the sender chose for itself only follows as a label. */
export function commandRow(command) {
  const {who, alias} = issuerWords(command.issuer);
  return h('tr', {'data-command': command.commandId},
    h('td', {}, time(command.issuedAt ?? command.decidedAt)),
    h('td', {}, command.type),
    // A space before the tag, as the transcript's lines have: copied text and screen readers keep the words apart.
    h('td', {}, h('bdi', {}, who), alias ? [' ', aliasTag(alias)] : null),
    h('td', {}, h('span', {class: `outcome ${command.status.toLowerCase()}`}, command.status),
      command.reason ? ` ${command.reason}` : ''));
}

/** The result of an action in the words the issue asks for: APPLIED, REJECTED with the reason, EXPIRED. */
function showOutcome(output, command) {
  output.dataset.command = command.commandId;
  output.className = `outcome ${command.status.toLowerCase()}`;
  output.textContent = command.status === 'PENDING'
    ? `PENDING: sent, waiting for the ${command.type === 'HangupRequested' ? 'call controller' : 'agent'}…`
    : plain(`${command.status}${command.reason ? `: ${command.reason}` : ''}`);
}

/**
 * The actions; closed() says why the call takes no more commands (null while it does), onlyHangup() why a ringing call
 * takes only a hang-up (null when it has a session).
 */
function controlPanel(path, closed, onlyHangup) {
  const panel = h('div', {class: 'controls'});
  const form = (title, fields, body, endpoint, {scope = 'calls:control', danger = false, folded = false} = {}) => {
    if (!may(scope)) return null;
    const output = h('output', {class: 'outcome', 'aria-live': 'polite'});
    const submit = h('button', {type: 'submit', class: danger ? 'danger' : ''}, title);
    const element = h('form', {class: 'control-form', 'data-endpoint': endpoint, 'aria-label': title, onsubmit: async (event) => {
      event.preventDefault();
      const why = closed();
      if (why) {
        output.className = 'outcome rejected';
        output.textContent = why;
        return;
      }
      submit.disabled = true;
      output.className = 'outcome';
      output.textContent = 'Sending…';
      try {
        const command = await request(`${path}/${endpoint}?wait=10s`, {method: 'POST', body: body()});
        showOutcome(output, command);
      } catch (e) {
        output.className = 'outcome rejected';
        output.textContent = e.message;
        delete output.dataset.command;
      } finally {
        submit.disabled = closed() !== null;
      }
    }}, h('fieldset', {}, h('legend', {class: folded ? 'visually-hidden' : ''}, title), fields, submit, output));
    // Less frequent actions stay folded (a keyboard opens them like a button), so the page stays short.
    return folded ? h('details', {class: 'control-more'}, h('summary', {}, title), element) : element;
  };

  const injectText = h('textarea', {rows: 2, required: true, name: 'text'});
  const injectRole = h('select', {name: 'role'}, h('option', {value: 'system'}, 'system (a fact for the agent)'),
    h('option', {value: 'user'}, 'user (as if the caller said it)'));
  const injectRespond = h('input', {type: 'checkbox', name: 'respond'});
  const injectLabel = h('input', {type: 'text', name: 'label', placeholder: 'e.g. crm'});
  const sayText = h('textarea', {rows: 2, required: true, name: 'say'});
  const sayInterruptible = h('input', {type: 'checkbox', name: 'allowInterruptions', checked: true});
  const instructions = h('textarea', {rows: 3, required: true, name: 'instructions'});
  const mode = h('select', {name: 'mode'}, h('option', {value: 'replace'}, 'replace'), h('option', {value: 'append'}, 'append'));
  // The same goodbye as ./switchboard hangup says by default; emptied, the agent hangs up without one.
  const goodbye = h('input', {type: 'text', name: 'goodbye', value: 'Thank you for calling. Goodbye!', placeholder: 'no goodbye when empty'});
  const now = h('input', {type: 'checkbox', name: 'immediate'});
  const digits = h('input', {type: 'text', name: 'digits', required: true, pattern: '[0-9*#A-Da-dwW \\-]{1,128}', inputmode: 'tel'});
  const transferTo = h('input', {type: 'text', name: 'to', required: true, placeholder: 'tel:+15551234567 or sip:…'});
  const announcement = h('input', {type: 'text', name: 'announcement'});

  panel.append(...[
    form('Inject context', [field('Message', injectText), field('Role', injectRole),
      field('Respond now', injectRespond, 'The agent answers at once instead of waiting for the caller.'), field('Label', injectLabel)],
    () => ({role: injectRole.value, text: injectText.value, respond: injectRespond.checked, label: injectLabel.value || undefined}), 'context'),
    form('Say', [field('Words', sayText), field('Caller may interrupt', sayInterruptible)],
      () => ({text: sayText.value, allowInterruptions: sayInterruptible.checked}), 'say', {folded: true}),
    form('Interrupt', [h('p', {class: 'hint'}, 'Stops the agent mid-sentence.')], () => ({}), 'interrupt', {folded: true}),
    form('Change instructions', [field('Instructions', instructions), field('Mode', mode)],
      () => ({instructions: instructions.value, mode: mode.value}), 'instructions', {folded: true}),
    form('Keypad tones', [field('Keys', digits, '0-9, *, #, A-D; w pauses half a second. Phone calls only.')],
      () => ({digits: digits.value}), 'dtmf', {folded: true}),
    form('Transfer', [field('To', transferTo), field('Announcement', announcement)],
      () => ({to: transferTo.value, announcement: announcement.value || undefined}), 'transfer', {scope: 'calls:dial', folded: true}),
    form('Hang up', [h('div', {class: 'session-only'}, field('Goodbye', goodbye), field('At once, without a goodbye', now))],
      () => (onlyHangup() !== null ? {immediate: true, reason: 'cancelled from the console before the call was answered'}
        : now.checked ? {immediate: true, reason: 'hung up from the console'} : {goodbye: goodbye.value || undefined, reason: 'hung up from the console'}),
      'hangup', {danger: true}),
  ].filter(Boolean));
  return panel;
}
