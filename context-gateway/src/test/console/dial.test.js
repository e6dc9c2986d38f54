// The console's words for a dial's outcome (app/dial.js), run by ConsoleScriptsTest under Node.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {OUTCOMES, dialWords, failureWords, outcomeWords} from '../app/dial.js';

test('a dial a hang-up of its room stopped is cancelled, as the gateway tells it and as the transcript service stored it', () => {
  assert.equal(dialWords({state: 'FAILED', failure: {reason: 'CANCELLED', detail: 'hung up while ringing (OPERATOR_HANGUP); ...'}}),
    'Dial failed: Cancelled: hung up while ringing');
  assert.equal(failureWords({reason: 'CANCELLED'}), 'Cancelled: hung up while ringing');
  assert.equal(outcomeWords({outcome: 'CANCELLED'}), 'Cancelled: hung up while ringing');
});

test('the stored outcomes a search can ask for include a cancelled dial', () => {
  assert.deepEqual(OUTCOMES.find(([value]) => value === 'CANCELLED'), ['CANCELLED', 'Cancelled: hung up while ringing']);
  assert.equal(OUTCOMES[0][0], 'ANSWERED');
});

test('the gateway\'s own reasons for a dial not carried out still have their words', () => {
  assert.equal(failureWords({reason: 'EXPIRED'}), 'Expired: no call controller placed it in time');
  assert.equal(dialWords({state: 'FAILED', failure: {reason: 'BUSY', sipStatusCode: 486, sipStatus: 'Busy Here'}}),
    'Dial failed: Busy (SIP 486 Busy Here)');
});
