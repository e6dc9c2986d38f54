// Whose call each row of the live and past call lists is, for an operator who sees every tenant (app/live.js,
// app/history.js). Run by ConsoleScriptsTest under Node.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {liveColumns, tenantOf} from '../app/live.js';
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
