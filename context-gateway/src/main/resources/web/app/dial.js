// Outbound calls as the gateway follows them (GET /v1/calls/{room}): their progress in words, and the dials this browser
// tab placed, so the live list shows them while they ring and after they failed (a dial has no session until it is
// answered, and a failed one never has).
import {request} from './api.js';

const DIALS_KEY = 'switchboard.console.dials';
/** How long the live list shows a dial this tab placed (the gateway remembers it longer). */
const REMEMBER_MS = 60 * 60 * 1000;

/** CallFailed's reasons (and the gateway's own REJECTED and EXPIRED), as an operator says them. */
const FAILURES = {
  BUSY: 'Busy',
  DECLINED: 'Declined',
  NO_ANSWER: 'No answer',
  INVALID_NUMBER: 'Invalid number',
  TRUNK_REJECTED: 'Refused by the trunk',
  TRUNK_UNAVAILABLE: 'Trunk unavailable',
  FAILED: 'Failed',
  REJECTED: 'Refused by the call controller',
  EXPIRED: 'Expired: no call controller placed it in time',
  UNKNOWN_SESSION: 'No call controller took it',
};

/** "Busy (SIP 486 Busy Here)": why a dial failed, with the SIP status when there was one. */
export function failureWords(failure) {
  if (!failure) return 'no reason given';
  const words = FAILURES[failure.reason] ?? failure.reason ?? 'Failed';
  const sip = failure.sipStatusCode ? ` (SIP ${failure.sipStatusCode}${failure.sipStatus ? ` ${failure.sipStatus}` : ''})` : '';
  return `${words}${sip}`;
}

/** Where a dial is, in a few words: "Dialling +15551234567…", "Answered by a person", "Dial failed: Busy (SIP 486)". */
export function dialWords(call) {
  switch (call.state) {
    case 'DIALING': return call.to ? `Dialling ${call.to}…` : 'Dialling…';
    case 'ANSWERED': return `Answered${call.answeredBy ? ` by ${call.answeredBy === 'human' ? 'a person' : 'a machine'}` : ''}`;
    case 'FAILED': return `Dial failed: ${failureWords(call.failure)}`;
    case 'ENDED': return `Ended: ${call.endReason ?? 'no reason given'}`;
    default: return call.state;
  }
}

/**
 * Follows a room's outbound call: asks the gateway now, then again after as many milliseconds as onCall answers
 * (nothing: stop). onCall(call, error): call is null while the gateway knows no outbound call of the room (404); error
 * any other failure. Returns a function that stops following.
 */
export function watchDial(room, onCall) {
  const controller = new AbortController();
  let timer = null;
  let stopped = false;
  const check = async () => {
    let call = null;
    let error = null;
    try {
      call = await request(`/v1/calls/${encodeURIComponent(room)}`, {signal: controller.signal, what: 'The call'});
    } catch (e) {
      if (e.name === 'AbortError') return;
      if (e.status !== 404) error = e;
    }
    if (stopped) return;
    const again = onCall(call, error);
    if (again && !stopped) timer = setTimeout(check, again);
  };
  check();
  return () => {
    stopped = true;
    clearTimeout(timer);
    controller.abort();
  };
}

/** Remembers a dial this tab placed (in the tab's session storage, like the token), for the live list. */
export function rememberDial(call) {
  const dials = rememberedDials().filter((dial) => dial.room !== call.room);
  dials.push({room: call.room, at: Date.now()});
  sessionStorage.setItem(DIALS_KEY, JSON.stringify(dials.slice(-20)));
}

/** The dials this tab placed within the last hour, oldest first. */
export function rememberedDials() {
  try {
    const dials = JSON.parse(sessionStorage.getItem(DIALS_KEY) ?? '[]');
    return Array.isArray(dials) ? dials.filter((dial) => typeof dial?.room === 'string' && Date.now() - dial.at < REMEMBER_MS) : [];
  } catch {
    return [];
  }
}

/** Forgets a remembered dial the gateway no longer knows. */
export function forgetDial(room) {
  sessionStorage.setItem(DIALS_KEY, JSON.stringify(rememberedDials().filter((dial) => dial.room !== room)));
}
