package dev.switchboard.schemas;

import dev.switchboard.schemas.serde.SchemaCatalog;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README.md is the specification other languages implement; its fingerprint table and union branch names must be
 * those of the released schemas (a new release fails here until the table has its rows).
 */
class SchemasReadmeTest {
    private static final Path README = Path.of("README.md"); // tests run in schemas/

    @Test
    void listsTheFingerprintAndFirstBytesOfEveryReleasedVersion() throws IOException {
        String readme = Files.readString(README);
        for (Class<? extends SpecificRecord> type : SchemaCatalog.TOP_LEVEL_RECORDS) {
            List<Schema> released = SchemaCatalog.releasedSchemas(type);
            for (int i = 0; i < released.size(); i++) {
                long fingerprint = SchemaNormalization.parsingFingerprint64(released.get(i));
                byte[] header = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0xC3).put((byte) 0x01).putLong(fingerprint).array();
                String row = "| `%s` | v%d | `%016x` | `%s` |".formatted(type.getSimpleName(), i + 1, fingerprint,
                        HexFormat.ofDelimiter(" ").formatHex(header));
                assertThat(readme).as("README.md's fingerprint table").contains(row);
            }
        }
    }

    @Test
    void namesEveryPayloadUnionBranchInFull() throws IOException {
        String readme = Files.readString(README);
        for (Class<? extends SpecificRecord> type : SchemaCatalog.TOP_LEVEL_RECORDS) {
            Schema.Field payload = SchemaCatalog.currentSchema(type).getField("payload");
            if (payload == null) {
                continue;
            }
            String branches = payload.schema().getTypes().stream().map(branch -> "`" + branch.getFullName() + "`").collect(Collectors.joining(", "));
            assertThat(readme).as("README.md's union table").contains("| `" + type.getSimpleName() + ".payload` | " + branches + " |");
        }
    }
}
