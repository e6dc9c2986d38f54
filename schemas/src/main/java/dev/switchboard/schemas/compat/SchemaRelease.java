package dev.switchboard.schemas.compat;

import dev.switchboard.schemas.serde.SchemaCatalog;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Records the current schemas as released versions: for every record whose current schema differs from its
 * latest released one, writes {@code <Record>/v<N+1>.avsc}. Run when cutting a release, after the
 * compatibility check passes. Released files are never edited afterwards.
 */
public final class SchemaRelease {
    private SchemaRelease() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: SchemaRelease <released-schemas-directory>");
        }
        Path root = Path.of(args[0]);
        List<SchemaCompatibilityCheck.Finding> fatal = SchemaCompatibilityCheck.checkAll().stream()
                .filter(f -> f.fatal() && f.releasedVersion() > 0).toList();
        if (!fatal.isEmpty()) {
            throw new IllegalStateException("not releasing incompatible schemas: " + fatal);
        }
        for (Class<? extends SpecificRecord> type : SchemaCatalog.TOP_LEVEL_RECORDS) {
            Schema current = SchemaCatalog.currentSchema(type);
            List<Schema> released = SchemaCatalog.releasedSchemas(type);
            if (!released.isEmpty() && sameSchema(released.getLast(), current)) {
                System.out.println("[schemas] " + type.getSimpleName() + " unchanged since v" + released.size());
                continue;
            }
            Path file = root.resolve(type.getSimpleName()).resolve("v" + (released.size() + 1) + ".avsc");
            Files.createDirectories(file.getParent());
            Files.writeString(file, current.toString(true) + System.lineSeparator());
            System.out.println("[schemas] released " + file);
        }
    }

    /** Same shape and same documentation and defaults (the parsing form ignores docs and defaults, so compare the full JSON). */
    private static boolean sameSchema(Schema a, Schema b) {
        return SchemaNormalization.parsingFingerprint64(a) == SchemaNormalization.parsingFingerprint64(b) && a.equals(b);
    }
}
