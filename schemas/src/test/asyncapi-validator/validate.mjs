// Validates an AsyncAPI document with the official AsyncAPI parser, Avro payloads included:
//   node validate.mjs <document>
// Prints every diagnostic; the last line is "VALID ..." with what the parser found, or "INVALID ...". Exit code 1 on errors.
import { readFileSync } from 'node:fs';
import { Parser } from '@asyncapi/parser';
import { AvroSchemaParser } from '@asyncapi/avro-schema-parser';

const SEVERITY = ['error', 'warning', 'information', 'hint'];
const file = process.argv[2];
const parser = new Parser();
parser.registerSchemaParser(AvroSchemaParser());
const { document, diagnostics } = await parser.parse(readFileSync(file, 'utf8'), { source: file });
for (const d of diagnostics) {
  console.log(`${SEVERITY[d.severity]} ${d.code} at /${d.path.join('/')}: ${d.message}`);
}
const errors = diagnostics.filter((d) => d.severity === 0);
if (!document || errors.length > 0) {
  console.log(`INVALID: ${errors.length} error(s)`);
  process.exit(1);
}
console.log(`VALID asyncapi=${document.version()} channels=${document.allChannels().length}`
  + ` operations=${document.allOperations().length} messages=${document.allMessages().length}`
  + ` warnings=${diagnostics.length - errors.length}`);
