#!/usr/bin/env node
// Adds a line to a running Switchboard call's LLM context over Kafka, waits until the agent has it, then hangs up.
//
//   node inject-and-hang-up.mjs --room demo-1 --text "Order 1042 shipped today with UPS."
//
// 1. InjectContext on switchboard.session-commands (key = the room), then its CommandResult from
//    switchboard.command-results, matched by commandId;
// 2. if it was APPLIED: EndSession (the agent says the goodbye, then the call controller hangs up), and its result.
//
// Prints one line per command ("InjectContext <commandId> APPLIED") and exits 0 when both were APPLIED, 1 when
// Switchboard answered otherwise, 2 when no answer came in time, 3 when an answer could not be read (in a schema
// registry's framing without --schema-registry, or the registry did not give its schema), 64 when the command line is
// wrong, 69 when Kafka cannot be reached (or did not take a command).
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import kafkajs, { Kafka, logLevel, Partitioners } from 'kafkajs';
import {
  RecordCodec, SchemaFilesError, SchemaRegistry, UnknownWriterSchema, UnreadableWriterSchema, USER_INFO_VARIABLE,
} from './switchboard-avro.mjs';

const COMMANDS_TOPIC = 'switchboard.session-commands';
const RESULTS_TOPIC = 'switchboard.command-results';
const RELEASED = join(dirname(fileURLToPath(import.meta.url)), '../../schemas/src/main/resources/dev/switchboard/schemas/released');
const USAGE_ERROR = 64; // sysexits' EX_USAGE
const KAFKA_UNREACHABLE = 69; // sysexits' EX_UNAVAILABLE

const ROLES = ['SYSTEM', 'USER'];

const args = parsedArguments();
const lifetimeMs = Number(args.lifetime) * 1000;
if (!args.room?.trim() || !args.text?.trim()) {
  usageError('--room and --text are required, and must not be empty');
}
if (!(lifetimeMs > 0 && Number.isFinite(lifetimeMs))) {
  usageError(`--lifetime takes a positive number of seconds, not '${args.lifetime}'`);
}
const role = args.role.toUpperCase(); // in any case, as the Python example takes it
if (!ROLES.includes(role)) {
  usageError(`--role is ${ROLES.join(' or ')}, not '${args.role}'`);
}

// Credentials from the environment, never the command line (where other users of the machine could read them).
const registry = args['schema-registry'] ? new SchemaRegistry(args['schema-registry'], process.env[USER_INFO_VARIABLE]) : null;
let commands;
let results;
try {
  commands = new RecordCodec(args.schemas, 'SessionCommand');
  results = new RecordCodec(args.schemas, 'CommandResult', registry);
} catch (e) {
  if (!(e instanceof SchemaFilesError)) {
    throw e;
  }
  usageError(`--schemas ${args.schemas}: ${e.message}`);
}
const kafka = new Kafka({
  clientId: 'switchboard-node-example',
  brokers: args['bootstrap-servers'].split(','),
  // kafkajs would log every failed connection attempt; what stops the example comes back as a KafkaJSError.
  logLevel: logLevel.NOTHING,
});
// kafkajs's default partitioner is Java's (murmur2): the room's records land where Switchboard's own producers put them.
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
const waiting = new Map(); // commandId -> { resolve, reject }
let consumer = null;

let exitCode;
try {
  consumer = await resultsFromNow();
  await producer.connect();
  exitCode = await steer();
} catch (e) {
  if (e instanceof UnreadableWriterSchema) {
    console.error(`error: cannot read Switchboard's answer: ${e.message}`);
    exitCode = 3;
  } else if (e instanceof kafkajs.KafkaJSError) { // not a named export: kafkajs spreads its errors in
    console.error(`error: cannot reach Kafka at ${args['bootstrap-servers']}: ${e.message}`);
    exitCode = KAFKA_UNREACHABLE;
  } else {
    throw e;
  }
} finally {
  await producer.disconnect();
  await consumer?.disconnect();
}
process.exit(exitCode);

/** The command line's options; a wrong one (unknown, or given without its value) is a usage error. */
function parsedArguments() {
  const options = {
    'bootstrap-servers': { type: 'string', default: 'localhost:9092' },
    room: { type: 'string' },
    text: { type: 'string' },
    role: { type: 'string', default: 'SYSTEM' },
    label: { type: 'string', default: 'node-example' },
    respond: { type: 'boolean', default: false },
    issuer: { type: 'string', default: 'node-example' },
    goodbye: { type: 'string', default: 'Thank you for calling. Goodbye!' },
    reason: { type: 'string', default: 'done' },
    lifetime: { type: 'string', default: '30' },
    schemas: { type: 'string', default: RELEASED },
    // The Confluent-compatible API of the registry the services use in the registry mode (Apicurio: .../apis/ccompat/v7);
    // credentials, if it needs them, in SWITCHBOARD_SCHEMA_REGISTRY_USER_INFO=user:password.
    'schema-registry': { type: 'string' },
  };
  try {
    return parseArgs({ options }).values;
  } catch (e) {
    return usageError(e.message);
  }
}

function usageError(problem) {
  console.error('usage: node inject-and-hang-up.mjs --room ROOM --text TEXT [--bootstrap-servers localhost:9092] '
    + '[--role SYSTEM|USER] [--label L] [--respond] [--issuer ID] [--goodbye G] [--reason R] [--lifetime S] [--schemas DIR] '
    + `[--schema-registry URL]\nerror: ${problem}`);
  process.exit(USAGE_ERROR);
}

/** Injects the line, then, once that was applied, ends the call; the exit code. */
async function steer() {
  const injected = await send('InjectContext', { role, text: args.text, respond: args.respond, label: args.label });
  if (injected !== 'APPLIED') {
    return injected === null ? 2 : 1;
  }
  const ended = await send('EndSession', { reason: args.reason, goodbye: args.goodbye });
  return ended === 'APPLIED' ? 0 : ended === null ? 2 : 1;
}

/** Sends a session command and returns the status of its first CommandResult, or null when none came in time. */
async function send(payloadName, payload) {
  const now = Date.now();
  const command = {
    commandId: randomUUID(),
    room: args.room,
    issuer: { kind: 'SYSTEM', id: args.issuer, displayName: null },
    issuedAt: now, // timestamp-millis: milliseconds since the epoch, UTC
    expiresAt: now + lifetimeMs,
    correlationId: null,
    // The union branch by its full name: never let the library guess which command this is.
    payload: { [`dev.switchboard.events.${payloadName}`]: payload },
  };
  const answered = new Promise((resolve, reject) => waiting.set(command.commandId, { resolve, reject }));
  await producer.send({ topic: COMMANDS_TOPIC, acks: -1, messages: [{ key: args.room, value: commands.encode(command) }] });
  // The watchdog answers EXPIRED at the latest 2 s after expiry; wait a little longer than that.
  let timer;
  let result;
  try {
    result = await Promise.race([answered, new Promise((resolve) => { timer = setTimeout(() => resolve(null), lifetimeMs + 10_000); })]);
  } finally {
    clearTimeout(timer);
    waiting.delete(command.commandId);
  }
  if (result === null) {
    console.log(`${payloadName} ${command.commandId} NO_ANSWER`);
    return null;
  }
  console.log(`${payloadName} ${command.commandId} ${result.status}${result.reason ? ` (${result.reason})` : ''}`);
  return result.status;
}

/**
 * A consumer of the results topic that sees every result from now on: the end offsets are read before any command is
 * sent, and once the consumer has its partitions it is moved to them, so a result cannot slip in before it starts.
 * Its group is its own and nothing is committed.
 */
async function resultsFromNow() {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(RESULTS_TOPIC);
  await admin.disconnect();

  const resultsConsumer = kafka.consumer({ groupId: `node-example-${randomUUID()}` });
  await resultsConsumer.connect();
  const joined = new Promise((resolve) => resultsConsumer.on(resultsConsumer.events.GROUP_JOIN, resolve));
  await resultsConsumer.subscribe({ topics: [RESULTS_TOPIC], fromBeginning: false });
  await resultsConsumer.run({
    autoCommit: false,
    eachMessage: async ({ message }) => {
      if (message.key?.toString('utf8') !== args.room) {
        return; // another room's result: not worth decoding
      }
      let result;
      try {
        result = await results.decode(message.value);
      } catch (e) {
        if (e instanceof UnknownWriterSchema) {
          console.error(`warning: skipped a result: ${e.message}`);
          return;
        }
        if (e instanceof UnreadableWriterSchema) {
          // Every answer of this room is written alike: waiting on would only end in NO_ANSWER.
          waiting.forEach(({ reject }) => reject(e));
          return;
        }
        throw e;
      }
      // The first result of a command counts (a command may be answered more than once).
      waiting.get(result.commandId)?.resolve(result);
    },
  });
  await joined;
  for (const { partition, high } of ends) {
    resultsConsumer.seek({ topic: RESULTS_TOPIC, partition, offset: high });
  }
  return resultsConsumer;
}
