"""Unit tests of switchboard_avro, with no Kafka: python3 -m unittest (from this directory)."""

import unittest
from datetime import datetime, timezone
from pathlib import Path

from switchboard_avro import AmbiguousUnionValue, RecordCodec

RELEASED = Path(__file__).resolve().parents[2] / "schemas/src/main/resources/dev/switchboard/schemas/released"
EVENTS = "dev.switchboard.events."


def command(payload, **fields):
    now = datetime.now(timezone.utc)
    return {"commandId": "c-1", "room": "room-1", "issuer": {"kind": "SYSTEM", "id": "tests", "displayName": None},
            "issuedAt": now, "expiresAt": now, "correlationId": None, "payload": payload, **fields}


class UnionBranches(unittest.TestCase):
    def setUp(self):
        self.commands = RecordCodec(RELEASED, "SessionCommand")

    def test_a_payload_named_by_its_full_name_is_written_to_that_branch(self):
        decoded = self.commands.decode(self.commands.encode(command((EVENTS + "Interrupt", {"reason": "stop talking"}))))
        self.assertEqual(decoded["payload"], {"reason": "stop talking"})
        # The reader resolves to the Interrupt branch: what comes back has only Interrupt's field, no goodbye.
        self.assertNotIn("goodbye", decoded["payload"])

    def test_a_payload_without_its_branch_name_is_refused_not_guessed(self):
        # Interrupt's only field is also EndSession's: a guessed branch would hang up the call.
        for payload in ({"reason": "stop talking"}, {"reason": "done", "goodbye": "Bye"}, None, "Interrupt"):
            with self.subTest(payload=payload), self.assertRaises(AmbiguousUnionValue) as refused:
                self.commands.encode(command(payload))
            message = str(refused.exception)
            self.assertIn("SessionCommand.payload", message)
            for branch in ("InjectContext", "Interrupt", "EndSession"):
                self.assertIn(EVENTS + branch, message)

    def test_a_branch_name_not_in_the_union_is_refused(self):
        with self.assertRaisesRegex(Exception, "no union branch named 'Interrupt'.*" + EVENTS + "Interrupt"):
            self.commands.encode(command(("Interrupt", {"reason": "stop talking"})))

    def test_null_and_plain_values_still_go_to_nullable_and_primitive_unions(self):
        decoded = self.commands.decode(self.commands.encode(command(
            (EVENTS + "InjectContext", {"role": "USER", "text": "hi", "respond": False, "label": None}),
            correlationId="corr-1", issuer={"kind": "SYSTEM", "id": "tests", "displayName": "Tests"})))
        self.assertEqual(decoded["correlationId"], "corr-1")
        self.assertEqual(decoded["issuer"]["displayName"], "Tests")
        self.assertIsNone(decoded["tenant"])
        self.assertIsNone(decoded["payload"]["label"])

    def test_a_nullable_record_takes_the_plain_record(self):
        segments = RecordCodec(RELEASED, "TranscriptSegment")
        issuer = {"kind": "SYSTEM", "id": "tests", "displayName": None, "tenant": None}
        segment = {"segmentId": "s-1", "room": "room-1", "sessionId": "x", "sequence": 1, "revision": 0, "role": "INJECTED",
                   "participantIdentity": None, "text": "t", "startMs": 0, "endMs": 1, "isFinal": True, "interrupted": False,
                   "generatedText": None, "language": None, "confidence": None, "injectedBy": issuer, "commandId": None,
                   "label": None, "tenant": "t", "createdAt": datetime.now(timezone.utc)}
        self.assertEqual(segments.decode(segments.encode(segment))["injectedBy"], issuer)


if __name__ == "__main__":
    unittest.main()
