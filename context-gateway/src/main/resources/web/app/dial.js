// Outbound calls as the gateway follows them (GET /v1/calls, GET /v1/calls/{room}) and as the transcript service stored
// them: their progress and outcome in words, and polling that pauses while the browser tab is hidden.
import {request} from './api.js';

/** CallFailed's reasons (what the call controller reports today), as an operator says them. */
const FAILED_DIALS = {
  BUSY: 'Busy',
  NO_ANSWER: 'No answer',
  DECLINED: 'Declined',
  INVALID_NUMBER: 'Invalid number',
  TRUNK_REJECTED: 'Refused by the trunk',
  TRUNK_UNAVAILABLE: 'Trunk unavailable',
  FAILED: 'Failed',
};

/** The gateway's own reasons for a dial the call controller did not carry out. */
const NOT_CARRIED_OUT = {
  REJECTED: 'Refused by the call controller',
  EXPIRED: 'Expired: no call controller placed it in time',
  UNKNOWN_SESSION: 'No call controller took it',
};

/** CallFailed's reasons from older writers, still found among stored calls. */
const OLDER_FAILED_DIALS = {
  TRUNK_FAILURE: 'Trunk failure',
  REJECTED: 'Rejected',
  TIMEOUT: 'Timed out',
  ERROR: 'Error',
  UNKNOWN: 'Unknown failure',
};

/** The transcript service's dial outcomes ([value, words]), for a filter: ANSWERED, then why a dial failed. */
export const OUTCOMES = [['ANSWERED', 'Answered'], ...Object.entries(FAILED_DIALS)];
/** The outcomes only older writers report. */
export const OLDER_OUTCOMES = Object.entries(OLDER_FAILED_DIALS);

const sip = (code, phrase) => (code ? ` (SIP ${code}${phrase ? ` ${phrase}` : ''})` : '');

/** "Busy (SIP 486 Busy Here)": why a dial failed (the gateway's CallFailure), with the SIP status when there was one. */
export function failureWords(failure) {
  if (!failure) return 'no reason given';
  const words = FAILED_DIALS[failure.reason] ?? NOT_CARRIED_OUT[failure.reason] ?? failure.reason ?? 'Failed';
  return `${words}${sip(failure.sipStatusCode, failure.sipStatus)}`;
}

/** "a person", "a machine": who answered (the gateway says human or machine, the transcript service HUMAN, MACHINE, UNKNOWN). */
export function answererWords(answeredBy) {
  switch ((answeredBy ?? '').toLowerCase()) {
    case 'human': return 'a person';
    case 'machine': return 'a machine';
    default: return null;
  }
}

const answeredWords = (answeredBy) => (answererWords(answeredBy) ? `Answered by ${answererWords(answeredBy)}` : 'Answered');

/** Where a dial is, in a few words: "Dialling +15551234567…", "Answered by a person", "Dial failed: Busy (SIP 486)". */
export function dialWords(call) {
  switch (call.state) {
    case 'DIALING': return call.to ? `Dialling ${call.to}…` : 'Dialling…';
    case 'ANSWERED': return answeredWords(call.answeredBy);
    case 'FAILED': return `Dial failed: ${failureWords(call.failure)}`;
    case 'ENDED': return `Ended: ${call.endReason ?? 'no reason given'}`;
    default: return call.state;
  }
}

/** Whether a stored session is a dial that failed (it never connected). */
export const dialFailed = (session) => Boolean(session.outcome) && session.outcome !== 'ANSWERED';

/**
 * How a stored outbound call's dial went, in words: "Answered by a machine", "Busy (SIP 486 Busy Here)"; null for a call
 * that was not dialled.
 */
export function outcomeWords(session) {
  if (!session.outcome) return null;
  if (session.outcome === 'ANSWERED') return answeredWords(session.answeredBy);
  const words = FAILED_DIALS[session.outcome] ?? OLDER_FAILED_DIALS[session.outcome] ?? session.outcome;
  return `${words}${sip(session.sipStatusCode, session.sipStatus)}`;
}

/**
 * Asks ask(signal) now, then again after as many milliseconds as onAnswer(answer, error) returns (nothing: stop). While
 * the browser tab is hidden nothing is asked: the question waits until the tab is shown again. Returns a function that
 * stops.
 */
function poll(ask, onAnswer) {
  const controller = new AbortController();
  let timer = null;
  let stopped = false;
  let due = false;
  const check = async () => {
    timer = null;
    if (document.hidden) {
      due = true;
      return;
    }
    let answer = null;
    let error = null;
    try {
      answer = await ask(controller.signal);
    } catch (e) {
      if (e.name === 'AbortError') return;
      error = e;
    }
    if (stopped) return;
    const again = onAnswer(answer, error);
    if (again && !stopped) timer = setTimeout(check, again);
  };
  const shown = () => {
    if (!document.hidden && due && !stopped) {
      due = false;
      check();
    }
  };
  document.addEventListener('visibilitychange', shown);
  check();
  return () => {
    stopped = true;
    clearTimeout(timer);
    controller.abort();
    document.removeEventListener('visibilitychange', shown);
  };
}

/**
 * Follows a room's outbound call (GET /v1/calls/{room}). onCall(call, error): call is null while the gateway knows no
 * outbound call of the room (404); error any other failure. Returns a function that stops following.
 */
export function watchDial(room, onCall) {
  return poll((signal) => request(`/v1/calls/${encodeURIComponent(room)}`, {signal, what: 'The call'}).catch((e) => {
    if (e.status === 404) return null;
    throw e;
  }), onCall);
}

/**
 * Follows the tenant's outbound calls in these states (GET /v1/calls?state=...), whoever placed them. onCalls(calls,
 * error): the calls, the latest first. Returns a function that stops following.
 */
export function watchCalls(states, onCalls) {
  const query = new URLSearchParams({state: states.join(',')});
  return poll((signal) => request(`/v1/calls?${query}`, {signal, what: 'The list of calls'}).then((list) => list.calls ?? []), onCalls);
}
