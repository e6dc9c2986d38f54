// Switchboard's record encoding in JavaScript, as schemas/README.md specifies it.
//
// Every value on a Switchboard topic is Avro single-object encoded:
//
//   C3 01 | CRC-64-AVRO fingerprint of the writer schema's Parsing Canonical Form, 8 bytes little-endian | Avro binary body
//
// The schemas are the released, self-contained files released/<Record>/v<N>.avsc. Writers use the latest released
// version; readers load every released version and pick the writer schema by the fingerprint in the record.
//
// Services run in the schema-registry mode (SWITCHBOARD_SCHEMA_REGISTRY_URL) write Confluent's framing instead:
//
//   00 | schema id, 4 bytes big-endian | Avro binary body
//
// A reader given the registry's Confluent-compatible API (SchemaRegistry) reads both, record by record, as the
// services do; writing the single-object encoding stays right in either mode, since the services read both too.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import avro from 'avsc';

export const MARKER = Buffer.from([0xc3, 0x01]);
const HEADER_LENGTH = MARKER.length + 8;
const REGISTRY_MAGIC = 0x00;
const REGISTRY_HEADER_LENGTH = 1 + 4;
/** Where the example takes the registry's credentials from, the same variable the services read. */
export const USER_INFO_VARIABLE = 'SWITCHBOARD_SCHEMA_REGISTRY_USER_INFO';

// CRC-64-AVRO ("Rabin"), exactly as the Avro specification gives it, on 64-bit BigInts.
const EMPTY = 0xc15d213aa4d7a795n;
const TABLE = Array.from({ length: 256 }, (_, i) => {
  let fp = BigInt(i);
  for (let j = 0; j < 8; j++) {
    fp = (fp >> 1n) ^ (EMPTY & -(fp & 1n));
  }
  return fp;
});

/** The CRC-64-AVRO fingerprint of some bytes, as an unsigned 64-bit BigInt. */
export function crc64Avro(bytes) {
  let fp = EMPTY;
  for (const byte of bytes) {
    fp = (fp >> 8n) ^ TABLE[Number((fp ^ BigInt(byte)) & 0xffn)];
  }
  return fp;
}

/** CRC-64-AVRO of the type's Parsing Canonical Form (JSON.stringify of avsc's type.schema(), an object, is that form). */
export function fingerprint(type) {
  return crc64Avro(Buffer.from(JSON.stringify(type.schema()), 'utf8'));
}

export class UnknownWriterSchema extends Error {}

/** The released schema files are not where they were looked for, or one of them is not a schema. */
export class SchemaFilesError extends Error {}

/** A value that does not fit the record's schema, e.g. a payload not named by its branch's full name. */
export class InvalidRecord extends Error {}

/** A registry-framed record whose schema the registry did not give (it is down, or this is another registry). */
export class UnreadableWriterSchema extends Error {}

/**
 * The writer schemas of registry-framed records, fetched by id from a Confluent-compatible API and kept.
 * url is that API's base, e.g. http://localhost:8090/apis/ccompat/v7 for Apicurio Registry, or a Confluent Schema
 * Registry's own address. An id's schema never changes, so each is fetched once.
 */
export class SchemaRegistry {
  /**
   * userInfo ("user:password", e.g. a Confluent Cloud API key and secret) is sent with basic authentication, as the
   * services send SWITCHBOARD_SCHEMA_REGISTRY_USER_INFO.
   */
  constructor(url, userInfo = null, timeoutMs = 10_000) {
    this.url = url.replace(/\/+$/, '');
    this.timeoutMs = timeoutMs;
    this.headers = { Accept: 'application/json' };
    if (userInfo) {
      this.headers.Authorization = `Basic ${Buffer.from(userInfo, 'utf8').toString('base64')}`;
    }
    this.schemas = new Map(); // id -> Promise of the avsc type
  }

  schema(id) {
    if (!this.schemas.has(id)) {
      const fetched = this.fetchSchema(id);
      fetched.catch(() => this.schemas.delete(id)); // a registry that was down is asked again next time
      this.schemas.set(id, fetched);
    }
    return this.schemas.get(id);
  }

  async fetchSchema(id) {
    const address = `${this.url}/schemas/ids/${id}`;
    let schema;
    try {
      const response = await fetch(address, { headers: this.headers, signal: AbortSignal.timeout(this.timeoutMs) });
      if (!response.ok) {
        let hint = '';
        if (response.status === 401 || response.status === 403) {
          hint = this.headers.Authorization ? `; check ${USER_INFO_VARIABLE}`
            : `; the registry wants credentials: set ${USER_INFO_VARIABLE}=user:password`;
        }
        throw new Error(`HTTP ${response.status}${hint}`);
      }
      schema = JSON.parse((await response.json()).schema);
    } catch (e) {
      throw new UnreadableWriterSchema(`schema ${id} could not be read from the registry (${address}): ${e.message}`);
    }
    return avro.Type.forSchema(schema, { wrapUnions: 'auto' });
  }
}

/** The names in a directory of released schemas; none when there is no such directory. */
function schemaFileNames(directory) {
  try {
    return existsSync(directory) && statSync(directory).isDirectory() ? readdirSync(directory) : [];
  } catch (e) {
    throw new SchemaFilesError(`cannot read ${directory}: ${e.message}`);
  }
}

/**
 * Encodes and decodes one record type (e.g. SessionCommand) with all of its released schema versions. With a
 * SchemaRegistry it also decodes records in the registry's framing; without one such a record is an error that says so.
 */
export class RecordCodec {
  constructor(releasedDir, record, registry = null) {
    const directory = join(releasedDir, record);
    const files = schemaFileNames(directory)
      .map((name) => /^v(\d+)\.avsc$/.exec(name))
      .filter(Boolean)
      .map((match) => ({ version: Number(match[1]), file: join(releasedDir, record, match[0]) }))
      .sort((a, b) => a.version - b.version);
    if (files.length === 0) {
      throw new SchemaFilesError(`no released schema of ${record} in ${directory}`);
    }
    this.record = record;
    this.registry = registry;
    // wrapUnions 'auto': a union of records (a payload) is written as { "<full name>": value }, so the branch is
    // always named; a union such as ["null", "string"] takes the plain value.
    this.versions = files.map(({ version, file }) => {
      let type;
      try {
        type = avro.Type.forSchema(JSON.parse(readFileSync(file, 'utf8')), { wrapUnions: 'auto' });
      } catch (e) {
        throw new SchemaFilesError(`${file} is not an Avro schema: ${e.message}`);
      }
      return { version, type, fingerprint: fingerprint(type) };
    });
    this.latest = this.versions[this.versions.length - 1];
    this.header = Buffer.alloc(HEADER_LENGTH);
    MARKER.copy(this.header);
    this.header.writeBigUInt64LE(this.latest.fingerprint, MARKER.length);
    this.resolvers = new Map(this.versions.map((v) => [v.fingerprint, this.latest.type.createResolver(v.type)]));
    this.framedResolvers = new Map(); // registry schema id -> resolver
  }

  /**
   * Single-object encoding with the latest released schema. A value that does not fit is refused saying where: a union
   * of records (a payload) takes only { "<full name>": value }, never a bare record for avsc to match to a branch.
   */
  encode(value) {
    const problems = [];
    if (!this.latest.type.isValid(value, { errorHook: (path, given, type) => problems.push({ path, given, type }) })) {
      throw new InvalidRecord(problems.map((problem) => this.problem(problem)).join('; '));
    }
    return Buffer.concat([this.header, this.latest.type.toBuffer(value)]);
  }

  problem({ path, given, type }) {
    const where = [this.record, ...path].join('.');
    const shown = inspect(given, { depth: 3, breakLength: Infinity });
    if (type.typeName === 'union:wrapped') {
      const named = type.types.map((branch) => branch.branchName).filter((name) => name !== 'null');
      const orNull = named.length < type.types.length ? ' (or null)' : '';
      return `${where} is a union of ${named.join(', ')}: give its value as { "<full name>": value } naming the branch${orNull}, `
        + `e.g. { "${named[0]}": {...} }, not ${shown}`;
    }
    if (type.typeName === 'union:unwrapped') {
      return `${where}: ${shown} is none of ${type.types.map((branch) => branch.branchName).join(', ')}`;
    }
    return `${where}: ${shown} is not a ${type.branchName ?? type.typeName}`;
  }

  /** Reads a record written with any released version, or framed by a registry, resolved to the latest version. */
  async decode(bytes) {
    if (bytes.length >= REGISTRY_HEADER_LENGTH && bytes[0] === REGISTRY_MAGIC) {
      return this.decodeFramed(bytes);
    }
    if (bytes.length < HEADER_LENGTH || !bytes.subarray(0, 2).equals(MARKER)) {
      throw new Error(`not Avro single-object encoding (starts with ${bytes.subarray(0, 2).toString('hex')})`);
    }
    const writerFingerprint = bytes.readBigUInt64LE(MARKER.length);
    const resolver = this.resolvers.get(writerFingerprint);
    if (!resolver) {
      throw new UnknownWriterSchema(`${this.record} written with schema fingerprint ${writerFingerprint.toString(16)}, `
        + `which is not among the released versions loaded (${this.versions.map((v) => `v${v.version}`).join(', ')}): `
        + 'update the schema files');
    }
    return this.latest.type.fromBuffer(bytes.subarray(HEADER_LENGTH), resolver);
  }

  async decodeFramed(bytes) {
    const id = bytes.readUInt32BE(1);
    if (!this.registry) {
      throw new UnreadableWriterSchema(`${this.record} in a schema registry's framing (schema id ${id}): the services run `
        + 'in the registry mode, so give the registry\'s Confluent-compatible API (--schema-registry)');
    }
    let resolver = this.framedResolvers.get(id);
    if (!resolver) {
      const writer = await this.registry.schema(id);
      if (writer.name !== this.latest.type.name) {
        throw new UnknownWriterSchema(`the registry's schema ${id} is ${writer.name ?? writer.typeName}, not ${this.latest.type.name}`);
      }
      resolver = this.latest.type.createResolver(writer);
      this.framedResolvers.set(id, resolver);
    }
    return this.latest.type.fromBuffer(bytes.subarray(REGISTRY_HEADER_LENGTH), resolver);
  }
}
