"""Switchboard's record encoding in Python, as schemas/README.md specifies it.

Every value on a Switchboard topic is Avro single-object encoded:

    C3 01 | CRC-64-AVRO fingerprint of the writer schema's Parsing Canonical Form, 8 bytes little-endian | Avro binary body

The schemas are the released, self-contained files released/<Record>/v<N>.avsc. Writers use the latest released
version; readers load every released version and pick the writer schema by the fingerprint in the record.

Services run in the schema-registry mode (SWITCHBOARD_SCHEMA_REGISTRY_URL) write Confluent's framing instead:

    00 | schema id, 4 bytes big-endian | Avro binary body

A reader given the registry's Confluent-compatible API (SchemaRegistry) reads both, record by record, as the
services do; writing the single-object encoding stays right in either mode, since the services read both too.
"""

from __future__ import annotations  # "str | None" in annotations on Python 3.8 and 3.9 too

import base64
import io
import json
import re
import struct
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path

import avro.errors
import avro.io
import avro.schema

MARKER = b"\xc3\x01"
HEADER_LENGTH = len(MARKER) + 8
REGISTRY_MAGIC = 0
REGISTRY_HEADER_LENGTH = 1 + 4

# CRC-64-AVRO ("Rabin"), exactly as the Avro specification gives it.
_EMPTY = 0xC15D213AA4D7A795
_TABLE = []
for _i in range(256):
    _fp = _i
    for _ in range(8):
        _fp = (_fp >> 1) ^ (_EMPTY & -(_fp & 1))
    _TABLE.append(_fp)


def crc64_avro(data: bytes) -> int:
    """The 64-bit CRC-64-AVRO fingerprint of some bytes, as an unsigned integer."""
    fp = _EMPTY
    for byte in data:
        fp = (fp >> 8) ^ _TABLE[(fp ^ byte) & 0xFF]
    return fp


_PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
_KEPT = ("name", "type", "fields", "symbols", "items", "values", "size")  # [STRIP] and [ORDER]


def parsing_canonical_form(schema_json) -> str:
    """The Parsing Canonical Form of a schema given as parsed JSON, by the rules of the Avro specification.

    Written out here because Apache Avro's Python library (1.11) keeps {"type": "string"} for a primitive that has
    extra attributes (the released schemas carry "avro.java.string" and "logicalType"), which the specification
    reduces to "string": its canonical_form would give other fingerprints than every other Avro implementation.
    """
    seen = set()

    def full_name(name, namespace):
        return name if "." in name or not namespace else f"{namespace}.{name}"

    def canonical(schema, namespace):
        if isinstance(schema, str):
            return schema if schema in _PRIMITIVES else full_name(schema, namespace)  # [PRIMITIVES] [FULLNAMES]
        if isinstance(schema, list):
            return [canonical(branch, namespace) for branch in schema]
        kind = schema["type"]
        if kind in _PRIMITIVES:
            return kind  # a primitive with attributes (logicalType, ...) is just the primitive
        if not isinstance(kind, str):
            return canonical(kind, namespace)
        if kind in ("record", "error", "enum", "fixed"):
            name = full_name(schema["name"], schema.get("namespace", namespace))
            if name in seen:
                return name  # a named type is spelled out once, then referred to by its full name
            seen.add(name)
            namespace = name.rpartition(".")[0]
            out = {"name": name, "type": "record" if kind == "error" else kind}
        elif kind in ("array", "map"):
            out = {"type": kind}
        else:
            return full_name(kind, namespace)  # {"type": "SomeNamedType"}
        for key in _KEPT[2:]:
            if key not in schema:
                continue
            if key == "fields":
                out["fields"] = [{"name": f["name"], "type": canonical(f["type"], namespace)} for f in schema["fields"]]
            elif key in ("items", "values"):
                out[key] = canonical(schema[key], namespace)
            else:
                out[key] = schema[key]
        return out

    # [WHITESPACE] no spaces; [STRINGS] characters as themselves, not \u escapes.
    return json.dumps(canonical(schema_json, None), separators=(",", ":"), ensure_ascii=False)


def fingerprint(schema_json) -> int:
    """The fingerprint single-object encoding uses: CRC-64-AVRO of the schema's Parsing Canonical Form."""
    return crc64_avro(parsing_canonical_form(schema_json).encode("utf-8"))


class UnknownWriterSchema(Exception):
    """A record written with a schema this reader was not given: a newer release, or not this record type."""


class SchemaRegistry:
    """The writer schemas of registry-framed records, fetched by id from a Confluent-compatible API and kept.

    url is that API's base, e.g. http://localhost:8090/apis/ccompat/v7 for Apicurio Registry, or a Confluent Schema
    Registry's own address. user_info ("user:password", e.g. a Confluent Cloud API key and secret) is sent with basic
    authentication, as the services send SWITCHBOARD_SCHEMA_REGISTRY_USER_INFO. An id's schema never changes, so each
    is fetched once.
    """

    USER_INFO_VARIABLE = "SWITCHBOARD_SCHEMA_REGISTRY_USER_INFO"

    def __init__(self, url: str, user_info: str | None = None, timeout_s: float = 10.0):
        self.url = url.rstrip("/")
        self.timeout_s = timeout_s
        self._headers = {"Accept": "application/json"}
        if user_info:
            token = base64.b64encode(user_info.encode("utf-8")).decode("ascii")
            self._headers["Authorization"] = f"Basic {token}"
        self._schemas = {}

    def schema(self, schema_id: int):
        if schema_id not in self._schemas:
            address = f"{self.url}/schemas/ids/{schema_id}"
            request = urllib.request.Request(address, headers=self._headers)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                    text = json.load(response)["schema"]
            except urllib.error.HTTPError as e:
                hint = ""
                if e.code in (401, 403):
                    hint = (f"; the registry wants credentials: set {self.USER_INFO_VARIABLE}=user:password"
                            if "Authorization" not in self._headers else f"; check {self.USER_INFO_VARIABLE}")
                raise UnreadableWriterSchema(
                    f"schema {schema_id} could not be read from the registry ({address}): HTTP {e.code}{hint}") from e
            except (urllib.error.URLError, OSError, ValueError, KeyError) as e:
                raise UnreadableWriterSchema(f"schema {schema_id} could not be read from the registry ({address}): {e}") from e
            self._schemas[schema_id] = avro.schema.parse(text)
        return self._schemas[schema_id]


class UnreadableWriterSchema(Exception):
    """A registry-framed record whose schema the registry did not give (it is down, or this is another registry)."""


class AmbiguousUnionValue(avro.errors.AvroTypeException):
    """A value for a union whose branches it could be mistaken between, not given as (full name, value)."""


# What kind of Python value each Avro type takes: two branches of a union taking the same kind cannot be told apart by
# the value (avsc's wrapUnions: 'auto' wraps exactly these unions).
_KINDS = {"null": "None", "boolean": "bool", "int": "number", "long": "number", "float": "number", "double": "number",
          "string": "str", "enum": "str", "bytes": "bytes", "fixed": "bytes", "array": "list", "map": "dict",
          "record": "dict", "error": "dict"}


def _branch_name(branch) -> str:
    return getattr(branch, "fullname", None) or branch.type


class _NamedBranchWriter(avro.io.DatumWriter):
    """Writes a union value given as (full name, value) to that branch, and refuses any other value for a union of
    records.

    Apache Avro's Python writer picks a union branch by trying which ones the value fits, and the payload records
    overlap (every field of Interrupt is also a field of EndSession), so a guessed branch can be the wrong command:
    {"reason": "stop talking"} meant as an Interrupt would be written as EndSession and hang up the call. So a union
    with two branches of the same kind (two records, as every payload) takes only a (full name, value) tuple, or None
    for its null branch; a union such as ["null", "string"] or ["null", Issuer] still takes the plain value, which
    cannot be mistaken. fastavro accepts the same (full name, value) tuples natively.
    """

    def write(self, datum, encoder):
        # The base class validates the whole value first, and its validation knows nothing of (name, value) branches;
        # write_data checks every value as it writes it.
        self._path = [self.writers_schema.name]
        self.write_data(self.writers_schema, datum, encoder)

    def write_record(self, writers_schema, datum, encoder):
        if not isinstance(datum, Mapping):
            raise avro.errors.AvroTypeException(f"{'.'.join(self._path)}: a {writers_schema.fullname} is a dict, not {datum!r}")
        for field in writers_schema.fields:
            self._path.append(field.name)
            self.write_data(field.type, datum.get(field.name), encoder)
            self._path.pop()

    def write_union(self, writers_schema, datum, encoder):
        branches = writers_schema.schemas
        names = [_branch_name(branch) for branch in branches]
        if isinstance(datum, tuple) and len(datum) == 2 and isinstance(datum[0], str):
            name, value = datum
            if name not in names:
                raise avro.errors.AvroTypeException(
                    f"{'.'.join(self._path)}: no union branch named {name!r}; its branches are {', '.join(names)}")
            index = names.index(name)
            encoder.write_long(index)
            return self.write_data(branches[index], value, encoder)
        kinds = [_KINDS.get(branch.type, branch.type) for branch in branches if branch.type != "null"]
        if len(set(kinds)) < len(kinds) and not (datum is None and "null" in names):
            named = [name for name in names if name != "null"]
            raise AmbiguousUnionValue(
                f"{'.'.join(self._path)} is a union of {', '.join(named)}: give its value as a (full name, value) tuple "
                f"naming the branch{' (or None)' if 'null' in names else ''}, e.g. ({named[0]!r}, {{...}}), not {datum!r}")
        return super().write_union(writers_schema, datum, encoder)


class RecordCodec:
    """Encodes and decodes one record type (e.g. SessionCommand) with all of its released schema versions.

    With a SchemaRegistry it also decodes records in the registry's framing; without one such a record is an error
    that says so.
    """

    def __init__(self, released_dir: Path, record: str, registry: SchemaRegistry | None = None):
        files = sorted(
            (int(m.group(1)), path)
            for path in (Path(released_dir) / record).glob("v*.avsc")
            if (m := re.fullmatch(r"v(\d+)\.avsc", path.name))
        )
        if not files:
            raise FileNotFoundError(f"no released schema of {record} in {Path(released_dir) / record}")
        self.record = record
        self.registry = registry
        self.versions = {}  # version -> (fingerprint, parsed schema)
        for version, path in files:
            try:
                text = path.read_text("utf-8")
                self.versions[version] = (fingerprint(json.loads(text)), avro.schema.parse(text))
            except (ValueError, avro.errors.AvroException) as e:
                raise ValueError(f"{path} is not an Avro schema: {e}") from e
        self.by_fingerprint = dict(self.versions.values())
        self.latest_version = files[-1][0]
        latest_fingerprint, self.latest = self.versions[self.latest_version]
        self._header = MARKER + struct.pack("<Q", latest_fingerprint)
        self._writer = _NamedBranchWriter(self.latest)

    def encode(self, datum: dict) -> bytes:
        """Single-object encoding with the latest released schema."""
        body = io.BytesIO()
        self._writer.write(datum, avro.io.BinaryEncoder(body))
        return self._header + body.getvalue()

    def decode(self, data: bytes) -> dict:
        """Reads a record written with any released version, or framed by a registry, resolved to the latest version."""
        if len(data) >= REGISTRY_HEADER_LENGTH and data[0] == REGISTRY_MAGIC:
            return self._decode_framed(data)
        if len(data) < HEADER_LENGTH or data[:2] != MARKER:
            raise ValueError(f"not Avro single-object encoding (starts with {data[:2].hex()})")
        (writer_fingerprint,) = struct.unpack("<Q", data[2:HEADER_LENGTH])
        writer = self.by_fingerprint.get(writer_fingerprint)
        if writer is None:
            raise UnknownWriterSchema(
                f"{self.record} written with schema fingerprint {writer_fingerprint:016x}, which is not among the "
                f"released versions loaded ({', '.join(f'v{v}' for v in self.versions)}): update the schema files")
        return self._read(writer, data[HEADER_LENGTH:])

    def _decode_framed(self, data: bytes) -> dict:
        (schema_id,) = struct.unpack(">I", data[1:REGISTRY_HEADER_LENGTH])
        if self.registry is None:
            raise UnreadableWriterSchema(
                f"{self.record} in a schema registry's framing (schema id {schema_id}): the services run in the "
                "registry mode, so give the registry's Confluent-compatible API (--schema-registry)")
        writer = self.registry.schema(schema_id)
        if getattr(writer, "fullname", None) != self.latest.fullname:
            raise UnknownWriterSchema(f"the registry's schema {schema_id} is {getattr(writer, 'fullname', writer.type)}, "
                                      f"not {self.latest.fullname}")
        return self._read(writer, data[REGISTRY_HEADER_LENGTH:])

    def _read(self, writer, body: bytes) -> dict:
        reader = avro.io.DatumReader(writer, self.latest)
        return reader.read(avro.io.BinaryDecoder(io.BytesIO(body)))
