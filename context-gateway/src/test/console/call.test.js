// What the call page says of a call and which actions it offers (app/call.js), run by ConsoleScriptsTest under Node.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ofShownCall, sessionState, whyClosed, whyOnlyHangup} from '../app/call.js';

const ended = {sessionId: 's1', state: 'ENDED', endReason: 'CALLER_HANGUP'};
const live = {sessionId: 's1', state: 'LIVE'};

test('an ended session is told as ended and takes no commands', () => {
  assert.deepEqual(sessionState(ended, {ready: true}), {text: 'Ended: CALLER_HANGUP', which: 'ENDED'});
  assert.equal(whyClosed(ended, null), 'The call has already ended.');
  assert.deepEqual(sessionState(live, {ready: true}), {text: 'Live', which: 'LIVE'});
  assert.equal(whyClosed(live, null), null);
});

test('a call only its transcript says ended is ended, not a session yet to come', () => {
  assert.deepEqual(sessionState(null, {ready: true, transcriptEnd: 'CALLER_HANGUP'}), {text: 'Ended: CALLER_HANGUP', which: 'ENDED'});
  assert.equal(whyClosed(null, null, 'CALLER_HANGUP'), 'The call has already ended.');
  // Without it, a room with no session yet waits for one and takes commands once it has one.
  assert.match(sessionState(null, {ready: true}).text, /^No live session is known for this room yet/);
  assert.equal(sessionState(null, {}), null);
  assert.equal(whyClosed(null, null), null);
  // The gateway's session wins over the transcript: a later call in the room is live.
  assert.equal(whyClosed(live, null, 'CALLER_HANGUP'), null);
});

test('a failed dial takes no commands', () => {
  assert.match(whyClosed(null, {state: 'FAILED', failure: {reason: 'BUSY'}}), /^The call did not connect: Busy/);
});

test('a ringing dial offers only the hang-up, which cancels it; a session or an outcome ends that', () => {
  const ringing = {state: 'DIALING', to: '+15551234567'};
  assert.match(whyOnlyHangup(null, ringing), /^The phone is still ringing: hanging up cancels the call/);
  assert.equal(whyClosed(null, ringing), null, 'the hang-up is sent');
  assert.match(whyOnlyHangup(null, {state: 'ANSWERED'}), /the agent is joining/);
  // A new dial in a room whose earlier session ended is the room's call now.
  assert.match(whyOnlyHangup(ended, ringing), /still ringing/);
  assert.equal(whyClosed(ended, ringing), null);
  // Once the agent's session runs, every action is offered; a failed or cancelled dial takes none.
  assert.equal(whyOnlyHangup(live, {...ringing, sessionId: 's1'}), null);
  assert.equal(whyOnlyHangup(live, ringing), null);
  assert.equal(whyOnlyHangup(null, {state: 'FAILED', failure: {reason: 'CANCELLED'}}), null);
  assert.equal(whyClosed(null, {state: 'FAILED', failure: {reason: 'CANCELLED'}}),
    'The call did not connect: Cancelled: hung up while ringing.');
});

test('a command of an earlier call in the room is not one of the call shown', () => {
  const second = {sessionId: 's2', state: 'LIVE'};
  assert.equal(ofShownCall({commandId: 'c1', sessionId: 's1'}, second), false);
  assert.equal(ofShownCall({commandId: 'c2', sessionId: 's2'}, second), true);
  assert.equal(ofShownCall({commandId: 'cancel'}, second), true, 'a command naming no session');
  assert.equal(ofShownCall({commandId: 'c1', sessionId: 's1'}, null), true, 'no session shown yet');
});
