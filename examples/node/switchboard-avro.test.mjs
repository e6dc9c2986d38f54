// Unit tests of switchboard-avro.mjs, with no Kafka: node --test (from this directory, after npm ci).
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { InvalidRecord, RecordCodec } from './switchboard-avro.mjs';

const RELEASED = join(dirname(fileURLToPath(import.meta.url)), '../../schemas/src/main/resources/dev/switchboard/schemas/released');
const EVENTS = 'dev.switchboard.events.';
const commands = new RecordCodec(RELEASED, 'SessionCommand');

function command(payload, fields = {}) {
  return { commandId: 'c-1', room: 'room-1', issuer: { kind: 'SYSTEM', id: 'tests', displayName: null }, issuedAt: 1, expiresAt: 2,
    correlationId: null, payload, ...fields };
}

test('a payload named by its full name is written to that branch', async () => {
  const decoded = await commands.decode(commands.encode(command({ [`${EVENTS}Interrupt`]: { reason: 'stop talking' } })));
  assert.deepEqual(JSON.parse(JSON.stringify(decoded.payload)), { [`${EVENTS}Interrupt`]: { reason: 'stop talking' } });
});

test('a payload without its branch name is refused, naming the union and its branches', () => {
  // Interrupt's only field is also EndSession's: a guessed branch would hang up the call.
  for (const payload of [{ reason: 'stop talking' }, { Interrupt: { reason: 'stop talking' } }, null]) {
    assert.throws(() => commands.encode(command(payload)), (e) => e instanceof InvalidRecord
      && e.message.startsWith('SessionCommand.payload is a union of ')
      && ['InjectContext', 'Interrupt', 'EndSession'].every((branch) => e.message.includes(EVENTS + branch)), JSON.stringify(payload));
  }
});

test('null and plain values still go to nullable and primitive unions', async () => {
  const decoded = await commands.decode(commands.encode(command(
    { [`${EVENTS}InjectContext`]: { role: 'USER', text: 'hi', respond: false, label: null } },
    { correlationId: 'corr-1', issuer: { kind: 'SYSTEM', id: 'tests', displayName: 'Tests' } })));
  assert.equal(decoded.correlationId, 'corr-1');
  assert.equal(decoded.issuer.displayName, 'Tests');
  assert.equal(decoded.tenant, null);
  assert.equal(decoded.payload[`${EVENTS}InjectContext`].label, null);
});
