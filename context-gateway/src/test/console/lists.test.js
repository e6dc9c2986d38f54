// Whose call each row of the live and past call lists is, for an operator who sees every tenant (app/live.js,
// app/history.js). Run by ConsoleScriptsTest under Node.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {dialLength, keepsDial, liveColumns, tenantOf} from '../app/live.js';
import {historyColumns} from '../app/history.js';

test('a token that sees every tenant gets a Tenant column after the room; one of a single tenant does not', () => {
  assert.deepEqual(liveColumns(true), ['Room', 'Tenant', 'Direction', 'Caller', 'Callee', 'Agent', 'Duration', 'State']);
  assert.deepEqual(liveColumns(false), ['Room', 'Direction', 'Caller', 'Callee', 'Agent', 'Duration', 'State']);
  assert.deepEqual(historyColumns(true),
    ['Room', 'Tenant', 'Started', 'Direction', 'Caller', 'Callee', 'Agent', 'Duration', 'Ended']);
  assert.deepEqual(historyColumns(false), ['Room', 'Started', 'Direction', 'Caller', 'Callee', 'Agent', 'Duration', 'Ended']);
});

test('a call is the tenant of its session, or of its dial while it has no session yet', () => {
  assert.equal(tenantOf({room: 'r', tenant: 'acme'}), 'acme');
  assert.equal(tenantOf({room: 'r', call: {tenant: 'globex'}}), 'globex');
  assert.equal(tenantOf({room: 'r', tenant: 'acme', call: {tenant: 'globex'}}), 'acme');
  assert.equal(tenantOf({room: 'r'}), '—');
});

test('an outbound call keeps a row of its own in every state, an ended one too (it may never have had a session)', () => {
  for (const state of ['DIALING', 'ANSWERED', 'FAILED', 'ENDED']) assert.equal(keepsDial({room: 'r', state}), true, state);
  assert.equal(keepsDial({room: 'r', state: 'SOMETHING_NEW'}), false);
  assert.equal(dialLength({requestedAt: '2026-12-04T10:00:00Z', answeredAt: '2026-12-04T10:00:05Z', endedAt: '2026-12-04T10:00:12Z'}), 7000);
  assert.equal(dialLength({requestedAt: '2026-12-04T10:00:00Z', endedAt: '2026-12-04T10:00:03Z'}), 3000);
  assert.equal(dialLength({requestedAt: '2026-12-04T10:00:00Z'}), undefined);
  assert.equal(dialLength(undefined), undefined);
});
