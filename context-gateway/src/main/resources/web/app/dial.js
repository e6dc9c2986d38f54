// Outbound calls as the gateway follows them (its stream's 'call' events, as GET /v1/calls/{room} shows a call) and as
// the transcript service stored them: their progress and outcome in words.

/** CallFailed's reasons (what the call controller reports today), as an operator says them. */
const FAILED_DIALS = {
  BUSY: 'Busy',
  NO_ANSWER: 'No answer',
  DECLINED: 'Declined',
  INVALID_NUMBER: 'Invalid number',
  TRUNK_REJECTED: 'Refused by the trunk',
  TRUNK_UNAVAILABLE: 'Trunk unavailable',
  FAILED: 'Failed',
  // A hang-up of the room stopped the dial (also the gateway's reason for it, whatever an older controller reported).
  CANCELLED: 'Cancelled: hung up while ringing',
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

const sipWords = (code, phrase) => (code ? `SIP ${code}${phrase ? ` ${phrase}` : ''}` : '');
const sip = (code, phrase) => (code ? ` (${sipWords(code, phrase)})` : '');

/** "Busy (SIP 486 Busy Here)": why a dial (or a transfer) failed (the gateway's CallFailure), with the SIP status when there was one. */
export function failureWords(failure) {
  if (!failure) return 'no reason given';
  const words = FAILED_DIALS[failure.reason] ?? NOT_CARRIED_OUT[failure.reason] ?? failure.reason ?? 'Failed';
  return `${words}${sip(failure.sipStatusCode, failure.sipStatus)}`;
}

/**
 * What to say after a dial's FAILED state: "Busy (SIP 486 Busy Here)"; for the catch-all reason FAILED, which would only
 * repeat the state, its SIP status or the call controller's detail, and nothing when it has neither.
 */
export function failedBecause(failure) {
  if (failure?.reason && failure.reason !== 'FAILED') return failureWords(failure);
  return sipWords(failure?.sipStatusCode, failure?.sipStatus) || failure?.detail || '';
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
    case 'FAILED': {
      const why = failedBecause(call.failure);
      return why ? `Dial failed: ${why}` : 'Dial failed';
    }
    case 'ENDED': return `Ended: ${call.endReason ?? 'no reason given'}`;
    default: return call.state;
  }
}

/** Whether a stored session is a dial that failed (it never connected). */
export const dialFailed = (session) => Boolean(session.outcome) && session.outcome !== 'ANSWERED';

/**
 * How a stored outbound call's dial went, in words: "Answered by a machine", "Busy (SIP 486 Busy Here)", for the
 * catch-all FAILED without a SIP status the call controller's detail; null for a call that was not dialled.
 */
export function outcomeWords(session) {
  if (!session.outcome) return null;
  if (session.outcome === 'ANSWERED') return answeredWords(session.answeredBy);
  // The catch-all FAILED says nothing by itself: the controller's words say more, when there is no SIP status to show.
  if (session.outcome === 'FAILED' && !session.sipStatusCode && session.failureDetail) return session.failureDetail;
  const words = FAILED_DIALS[session.outcome] ?? OLDER_FAILED_DIALS[session.outcome] ?? session.outcome;
  return `${words}${sip(session.sipStatusCode, session.sipStatus)}`;
}
