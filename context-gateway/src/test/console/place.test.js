// The Place a call page's Idempotency-Key (app/place.js), run by ConsoleScriptsTest under Node.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {keyFor} from '../app/place.js';

test('the same form submitted again is sent with the same key; a changed one with a new key', () => {
  let n = 0;
  const newKey = () => `k${++n}`;
  const first = keyFor(null, {to: '+15551234567'}, newKey);
  assert.equal(first.key, 'k1');
  const retry = keyFor(first, {to: '+15551234567'}, newKey);
  assert.equal(retry.key, 'k1', 'a retry after a lost answer places no second call');
  const changed = keyFor(retry, {to: '+15551234568'}, newKey);
  assert.equal(changed.key, 'k2');
  assert.equal(keyFor(changed, {to: '+15551234568', instructions: 'be brief'}, newKey).key, 'k3');
});

test('a key is a random UUID by default', () => {
  assert.match(keyFor(null, {to: '+15551234567'}).key, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});
