// The console's words for what came from calls and their senders (app/text.js), run by ConsoleScriptsTest under Node.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {decoded, fragmentToken, identity, issuerWords, label, plain, speaker, switchWords} from '../app/text.js';

test('the bidirectional overrides, embeddings and isolates are dropped from what was said; the marks are kept', () => {
  assert.equal(plain('refund \u202Egnp.exe\u202C ok'), 'refund gnp.exe ok');
  assert.equal(plain('\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069x'), 'x');
  assert.equal(plain('\u05E9\u05DC\u05D5\u05DD\u200F 42\u200E'), '\u05E9\u05DC\u05D5\u05DD\u200F 42\u200E');
  assert.equal(plain(null), '');
  assert.equal(plain(7), '7');
});

test('a name is one line without bidirectional controls or marks', () => {
  assert.equal(label('crm\u202E\u2066 desk\r\n\u200F'), 'crm desk');
  assert.equal(label('\u0007\u202E'), '');
});

test('an injected line is by the id its token gave; the name the sender chose is only an alias', () => {
  assert.deepEqual(speaker({role: 'INJECTED', injectedBy: {kind: 'SERVICE', id: 'local-admin', displayName: 'order-system'}}),
    {who: 'Injected (local-admin)', alias: 'order-system'});
  assert.deepEqual(speaker({role: 'INJECTED', injectedBy: {kind: 'SERVICE', id: 'crm', displayName: 'crm'}}),
    {who: 'Injected (crm)', alias: null});
  assert.deepEqual(speaker({role: 'INJECTED', injectedBy: {kind: 'SERVICE', id: '\u202E', displayName: 'the bank'}}),
    {who: 'Injected (SERVICE)', alias: 'the bank'});
  assert.deepEqual(speaker({role: 'INJECTED', label: 'order-system'}), {who: 'Injected (unknown)', alias: null});
  assert.deepEqual(speaker({role: 'USER'}), {who: 'Caller', alias: null});
  assert.deepEqual(speaker({role: 'AGENT'}), {who: 'Agent', alias: null});
});

test('a command is by the id its token gave, the display name only an alias', () => {
  assert.deepEqual(issuerWords({kind: 'OPERATOR', id: 'local-admin', displayName: 'order-system\u202E'}),
    {who: 'local-admin', alias: 'order-system'});
  assert.deepEqual(issuerWords(null), {who: 'another system', alias: null});
});

test('the switch prompt names both tokens with their tenants, and says when the tenant would change', () => {
  const mine = {subject: 'local-admin', tenant: 'acme', scopes: ['calls:read']};
  const theirs = {subject: 'local-admin', tenant: 'globex', scopes: ['calls:read']};
  assert.equal(identity(mine), 'local-admin · tenant acme');
  assert.equal(switchWords(mine, theirs), 'The link you opened signs this tab in as local-admin · tenant globex, in place of'
    + ' local-admin · tenant acme. That is another tenant: this tab would show and act on the calls of tenant globex, no'
    + ' longer those of tenant acme.');
  assert.equal(switchWords(mine, {...theirs, subject: 'ops', tenant: 'acme'}),
    'The link you opened signs this tab in as ops · tenant acme, in place of local-admin · tenant acme.');
  // Until the gateway has said who the link's token is: the subject it claims.
  assert.equal(switchWords(mine, {subject: 'someone-else'}),
    'The link you opened signs this tab in as someone-else, in place of local-admin · tenant acme.');
  assert.equal(switchWords(null, {subject: 'x'}), 'The link you opened signs this tab in as x, in place of the token it holds.');
});

test('an address that is not validly percent-encoded is told, not thrown', () => {
  assert.equal(decoded('demo%201'), 'demo 1');
  assert.equal(decoded('%E0%A4%A'), null);
  assert.equal(decoded('abc%zz'), null);
  assert.equal(decoded('%'), null);
});

test('a sign-in link gives its token, or a sentence when it is damaged', () => {
  assert.deepEqual(fragmentToken('#token=abc%2Edef'), {token: 'abc.def'});
  assert.equal(fragmentToken('#/live'), null);
  assert.equal(fragmentToken(''), null);
  assert.match(fragmentToken('#token=abc%zz').problem, /^The sign-in link is damaged/);
  assert.match(fragmentToken('#token=%20').problem, /damaged/);
});

test('a call the transcript service does not hold is named as what the page asked for, not as a live call', async () => {
  const {describe} = await import('../app/api.js');
  const problem = {type: 'urn:switchboard:problem:session-not-found', detail: "no session stored for room 'r'"};
  assert.equal(describe(404, problem, "This call's transcript"), "This call's transcript was not found (no session stored for room 'r').");
  assert.equal(describe(404, problem), "No live call is known for this room (no session stored for room 'r').");
});
