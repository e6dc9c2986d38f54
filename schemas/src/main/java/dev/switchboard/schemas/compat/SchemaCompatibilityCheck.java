package dev.switchboard.schemas.compat;

import dev.switchboard.schemas.serde.SchemaCatalog;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;
import org.apache.avro.specific.SpecificRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * The build's schema gate. For every top-level record it checks the current schema against every released one:
 * <ul>
 *   <li><b>backward, transitive (fatal):</b> the current reader must read what every released writer wrote, because
 *       topics and replays hold records of any released version;</li>
 *   <li><b>forward, against the latest release (fatal):</b> the previous release must read what the current writer
 *       writes, so services can be upgraded one at a time. One exception is allowed and reported: a new union
 *       branch (a new command or event type), which older readers reject record by record (to the dead-letter
 *       topic) instead of failing on every record.</li>
 * </ul>
 * Run by the build after compilation; a fatal finding fails the build.
 */
public final class SchemaCompatibilityCheck {

    public enum Direction { BACKWARD, FORWARD }

    /** One problem found: which record, against which released version, in which direction, and where. */
    public record Finding(String record, int releasedVersion, Direction direction, String location, String message, boolean fatal) {
        @Override
        public String toString() {
            return (fatal ? "INCOMPATIBLE " : "note ") + record + " vs released v" + releasedVersion + " (" + direction + ") at "
                    + location + ": " + message;
        }
    }

    private SchemaCompatibilityCheck() {
    }

    /** Compares a current schema with the released ones (oldest first). */
    public static List<Finding> check(String record, Schema current, List<Schema> released) {
        List<Finding> findings = new ArrayList<>();
        if (released.isEmpty()) {
            findings.add(new Finding(record, 0, Direction.BACKWARD, "/", "no released version exists; run the release-schemas execution", true));
            return findings;
        }
        for (int i = 0; i < released.size(); i++) {
            for (Incompatibility problem : incompatibilities(current, released.get(i))) {
                findings.add(new Finding(record, i + 1, Direction.BACKWARD, readablePath(current, problem.getLocation()), describe(problem), true));
            }
        }
        int latest = released.size();
        for (Incompatibility problem : incompatibilities(released.get(latest - 1), current)) {
            boolean newUnionBranch = problem.getType() == SchemaIncompatibilityType.MISSING_UNION_BRANCH;
            findings.add(new Finding(record, latest, Direction.FORWARD, readablePath(released.get(latest - 1), problem.getLocation()),
                    describe(problem) + (newUnionBranch ? " (a new record type: older readers dead-letter such records)" : ""),
                    !newUnionBranch));
        }
        return findings;
    }

    private static List<Incompatibility> incompatibilities(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult().getIncompatibilities();
    }

    /** Turns Avro's JSON pointer ({@code /fields/8/type}) into field names ({@code startMs}), walking the reader schema. */
    static String readablePath(Schema reader, String pointer) {
        List<String> path = new ArrayList<>();
        Schema current = reader;
        String[] tokens = pointer.split("/");
        // Avro points into the reader schema, except for a missing union branch, which it points to in the writer's.
        for (int i = 1; i < tokens.length && current != null; i++) {
            String token = tokens[i];
            if (token.equals("fields") && i + 1 < tokens.length && current.getType() == Schema.Type.RECORD) {
                Schema.Field field = current.getFields().get(Integer.parseInt(tokens[++i]));
                path.add(field.name());
                current = field.schema();
            } else if (token.matches("\\d+") && current.getType() == Schema.Type.UNION
                    && Integer.parseInt(token) < current.getTypes().size()) {
                current = current.getTypes().get(Integer.parseInt(token));
                path.add(current.getName());
            } else if (token.equals("items") && current.getType() == Schema.Type.ARRAY) {
                current = current.getElementType();
            } else if (token.equals("values") && current.getType() == Schema.Type.MAP) {
                current = current.getValueType();
            } else if (!token.equals("type")) {
                path.add(token);
            }
        }
        return path.isEmpty() ? "/" : String.join(".", path);
    }

    private static String describe(Incompatibility problem) {
        return problem.getType() + " - " + problem.getMessage();
    }

    /** Checks every top-level record against its released versions. */
    public static List<Finding> checkAll() {
        List<Finding> findings = new ArrayList<>();
        for (Class<? extends SpecificRecord> type : SchemaCatalog.TOP_LEVEL_RECORDS) {
            findings.addAll(check(type.getSimpleName(), SchemaCatalog.currentSchema(type), SchemaCatalog.releasedSchemas(type)));
        }
        return findings;
    }

    public static void main(String[] args) {
        List<Finding> findings = checkAll();
        findings.forEach(finding -> System.out.println("[schemas] " + finding));
        List<Finding> fatal = findings.stream().filter(Finding::fatal).toList();
        if (!fatal.isEmpty()) {
            // Thrown, not System.exit: this runs inside Maven's JVM.
            throw new IllegalStateException(fatal.size() + " incompatible schema change(s); a released schema may never stop"
                    + " being readable. Make the change compatible (e.g. give a new field a default), see schemas/README.md");
        }
        System.out.println("[schemas] " + SchemaCatalog.TOP_LEVEL_RECORDS.size() + " records compatible with every released version");
    }
}
