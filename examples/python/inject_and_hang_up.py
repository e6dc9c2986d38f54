#!/usr/bin/env python3
"""Adds a line to a running Switchboard call's LLM context over Kafka, waits until the agent has it, then hangs up.

    python3 inject_and_hang_up.py --room demo-1 --text "Order 1042 shipped today with UPS."

1. InjectContext on switchboard.session-commands (key = the room), then its CommandResult from
   switchboard.command-results, matched by commandId;
2. if it was APPLIED: EndSession (the agent says the goodbye, then the call controller hangs up), and its result.

Prints one line per command ("InjectContext <commandId> APPLIED") and exits 0 when both were APPLIED, 1 when
Switchboard answered otherwise, 2 when no answer came in time, 3 when an answer could not be read (in a schema
registry's framing without --schema-registry, or the registry did not give its schema), 64 when the command line is
wrong, 69 when Kafka cannot be reached (or did not take a command).
"""

import argparse
import os
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import avro.errors
from confluent_kafka import OFFSET_END, Consumer, KafkaException, Producer, TopicPartition

from switchboard_avro import RecordCodec, SchemaRegistry, UnknownWriterSchema, UnreadableWriterSchema

COMMANDS_TOPIC = "switchboard.session-commands"
RESULTS_TOPIC = "switchboard.command-results"
RELEASED = Path(__file__).resolve().parents[2] / "schemas/src/main/resources/dev/switchboard/schemas/released"
# librdkafka would log every failed connection attempt; what stops the example comes back as a KafkaException.
QUIET = {"log_level": 0}
USAGE_ERROR = 64  # sysexits' EX_USAGE: argparse's own 2 would read as "no answer came"
KAFKA_UNREACHABLE = 69  # sysexits' EX_UNAVAILABLE


class Arguments(argparse.ArgumentParser):
    """argparse, exiting with USAGE_ERROR on a wrong command line."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(USAGE_ERROR, f"error: {message}\n")


def not_empty(value: str) -> str:
    if not value.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return value


def seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is None or not 0 < number < float("inf"):
        raise argparse.ArgumentTypeError(f"takes a positive number of seconds, not {value!r}")
    return number


def main() -> int:
    parser = Arguments(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap-servers", default="localhost:9092")
    parser.add_argument("--room", required=True, type=not_empty, help="the LiveKit room of the running call")
    parser.add_argument("--text", required=True, type=not_empty, help="what to add to the agent's context")
    parser.add_argument("--role", default="SYSTEM", type=str.upper, choices=["SYSTEM", "USER"],
                        help="the chat role of the line, SYSTEM or USER (in any case)")
    parser.add_argument("--label", default="python-example", help="where the line came from, shown in the transcript")
    parser.add_argument("--respond", action="store_true", help="make the agent answer now")
    parser.add_argument("--issuer", default="python-example", help="who sends the commands (recorded with them)")
    parser.add_argument("--goodbye", default="Thank you for calling. Goodbye!")
    parser.add_argument("--reason", default="done", help="why the call ends")
    parser.add_argument("--lifetime", type=seconds, default=30.0, help="seconds until a command expires")
    parser.add_argument("--schemas", type=Path, default=RELEASED, help="the released/ directory of the schemas")
    parser.add_argument("--schema-registry", metavar="URL",
                        help="the Confluent-compatible API of the registry the services use, when they run in the "
                             "registry mode (Apicurio Registry: http://HOST:PORT/apis/ccompat/v7); credentials, if it "
                             "needs them, in SWITCHBOARD_SCHEMA_REGISTRY_USER_INFO=user:password")
    args = parser.parse_args()

    # Credentials from the environment, never the command line (where other users of the machine could read them).
    registry = SchemaRegistry(args.schema_registry, os.environ.get(SchemaRegistry.USER_INFO_VARIABLE)) if args.schema_registry else None
    try:
        commands = RecordCodec(args.schemas, "SessionCommand")
        results = RecordCodec(args.schemas, "CommandResult", registry)
    except (OSError, ValueError, avro.errors.AvroException) as e:  # no released schemas there, or unreadable ones
        parser.error(f"--schemas {args.schemas}: {e}")

    try:
        return steer_over_kafka(args, commands, results)
    except KafkaException as e:
        problem = e.args[0]  # a KafkaError, or this example's own words
        words = problem.str() if hasattr(problem, "str") else problem
        print(f"error: cannot reach Kafka at {args.bootstrap_servers}: {words}", file=sys.stderr)
        return KAFKA_UNREACHABLE


def steer_over_kafka(args, commands, results) -> int:
    """Sends the commands and waits for their results; the exit code. Kafka's failures are raised as KafkaException."""
    producer = Producer({
        "bootstrap.servers": args.bootstrap_servers,
        "acks": "all",
        "enable.idempotence": True,
        # Java's partitioner: the room's records land on the partition Switchboard's own producers use.
        "partitioner": "murmur2_random",
        **QUIET,
    })
    consumer = results_from_now(args.bootstrap_servers)
    try:
        issuer = {"kind": "SYSTEM", "id": args.issuer, "displayName": None}

        def send(payload_name, payload):
            now = datetime.now(timezone.utc)
            command = {
                "commandId": str(uuid.uuid4()),
                "room": args.room,
                "issuer": issuer,
                "issuedAt": now,
                "expiresAt": now + timedelta(seconds=args.lifetime),
                "correlationId": None,
                # The union branch by its full name: never let the library guess which command this is.
                "payload": ("dev.switchboard.events." + payload_name, payload),
            }
            delivery = {}
            producer.produce(COMMANDS_TOPIC, key=args.room.encode("utf-8"), value=commands.encode(command),
                             on_delivery=lambda error, _: delivery.update(error=error))
            if producer.flush(10) > 0:
                raise KafkaException(f"{payload_name} was not acknowledged by Kafka within 10 s")
            if delivery.get("error"):
                raise KafkaException(delivery["error"])
            # The watchdog answers EXPIRED at the latest 2 s after expiry; wait a little longer than that.
            result = await_result(consumer, results, args.room, command["commandId"], args.lifetime + 10)
            if result is None:
                print(f"{payload_name} {command['commandId']} NO_ANSWER", flush=True)
                return None
            reason = f" ({result['reason']})" if result["reason"] else ""
            print(f"{payload_name} {command['commandId']} {result['status']}{reason}", flush=True)
            return result["status"]

        try:
            return steer(send, args)
        except UnreadableWriterSchema as e:
            print(f"error: cannot read Switchboard's answer: {e}", file=sys.stderr)
            return 3
    finally:
        consumer.close()


def steer(send, args) -> int:
    """Injects the line, then, once that was applied, ends the call; the exit code."""
    injected = send("InjectContext", {"role": args.role, "text": args.text, "respond": args.respond, "label": args.label})
    if injected != "APPLIED":
        return 2 if injected is None else 1
    ended = send("EndSession", {"reason": args.reason, "goodbye": args.goodbye})
    if ended != "APPLIED":
        return 2 if ended is None else 1
    return 0


def results_from_now(bootstrap_servers):
    """A consumer of every partition of the results topic, from the current end: it sees every result to come.

    The end offsets are read before any command is sent, so a result cannot slip in before the consumer starts.
    No consumer group is joined (assign, not subscribe) and nothing is committed.
    """
    consumer = Consumer({
        "bootstrap.servers": bootstrap_servers,
        "group.id": f"python-example-{uuid.uuid4()}",
        "enable.auto.commit": False,
        **QUIET,
    })
    partitions = consumer.list_topics(RESULTS_TOPIC, timeout=10).topics[RESULTS_TOPIC].partitions
    assignment = []
    for partition in partitions:
        _, end = consumer.get_watermark_offsets(TopicPartition(RESULTS_TOPIC, partition), timeout=10)
        assignment.append(TopicPartition(RESULTS_TOPIC, partition, end if end >= 0 else OFFSET_END))
    consumer.assign(assignment)
    return consumer


def await_result(consumer, results, room, command_id, timeout_s):
    """The first CommandResult for the command id (a command may be answered more than once; the first counts)."""
    key = room.encode("utf-8")
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        message = consumer.poll(0.5)
        if message is None:
            continue
        if message.error():
            raise KafkaException(message.error())
        if message.key() != key:
            continue  # another room's result: not worth decoding
        try:
            result = results.decode(message.value())
        except UnknownWriterSchema as e:
            print(f"warning: skipped a result: {e}", file=sys.stderr)
            continue
        if result["commandId"] == command_id:
            return result
    return None


if __name__ == "__main__":
    sys.exit(main())
