package dev.switchboard.schemas;

import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.schemas.compat.SchemaCompatibilityCheck;
import dev.switchboard.schemas.compat.SchemaCompatibilityCheck.Direction;
import dev.switchboard.schemas.compat.SchemaCompatibilityCheck.Finding;
import dev.switchboard.schemas.serde.SchemaCatalog;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaCompatibilityCheckTest {

    @Test
    void theCurrentSchemasAreCompatibleWithEveryReleasedVersion() {
        assertThat(SchemaCompatibilityCheck.checkAll()).noneMatch(Finding::fatal);
        for (var type : SchemaCatalog.TOP_LEVEL_RECORDS) {
            assertThat(SchemaCatalog.releasedSchemas(type)).as("released versions of %s", type.getSimpleName()).isNotEmpty();
        }
    }

    @Test
    void aNewRequiredFieldIsRejected() {
        Schema broken = withFields(current(TranscriptSegment.class), fields -> {
            fields.add(new Field("speakerName", Schema.create(Schema.Type.STRING), "no default: older records cannot be read"));
            return fields;
        });

        List<Finding> findings = check(broken, TranscriptSegment.class);

        assertThat(findings).anySatisfy(f -> {
            assertThat(f.fatal()).isTrue();
            assertThat(f.direction()).isEqualTo(Direction.BACKWARD);
            assertThat(f.message()).contains("speakerName");
        });
    }

    @Test
    void aChangedFieldTypeIsRejected() {
        Schema broken = withFields(current(TranscriptSegment.class), fields -> fields.stream()
                .map(f -> f.name().equals("startMs") ? new Field("startMs", Schema.create(Schema.Type.STRING), f.doc()) : copy(f))
                .collect(ArrayList::new, ArrayList::add, ArrayList::addAll));

        assertThat(check(broken, TranscriptSegment.class)).anyMatch(f -> f.fatal() && f.location().contains("startMs"));
    }

    @Test
    void aNewOptionalFieldIsAccepted() {
        Schema evolved = withFields(current(TranscriptSegment.class), fields -> {
            fields.add(new Field("speakerName", Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                    "optional", Field.NULL_DEFAULT_VALUE));
            return fields;
        });

        assertThat(check(evolved, TranscriptSegment.class)).noneMatch(Finding::fatal);
    }

    @Test
    void aNewCommandTypeIsReportedButAllowed() {
        Schema current = current(SessionCommand.class);
        Schema transfer = Schema.createRecord("Mute", null, "dev.switchboard.events", false,
                List.of(new Field("muted", Schema.create(Schema.Type.BOOLEAN))));
        Schema evolved = withFields(current, fields -> fields.stream().map(f -> {
            if (!f.name().equals("payload")) {
                return copy(f);
            }
            List<Schema> branches = new ArrayList<>(f.schema().getTypes());
            branches.add(transfer);
            return new Field("payload", Schema.createUnion(branches), f.doc());
        }).collect(ArrayList::new, ArrayList::add, ArrayList::addAll));

        List<Finding> findings = check(evolved, SessionCommand.class);

        assertThat(findings).noneMatch(Finding::fatal);
        assertThat(findings).anyMatch(f -> f.direction() == Direction.FORWARD && f.message().contains("new record type"));
    }

    @Test
    void aRemovedCommandTypeIsRejected() {
        Schema reduced = withFields(current(SessionCommand.class), fields -> fields.stream().map(f -> {
            if (!f.name().equals("payload")) {
                return copy(f);
            }
            List<Schema> branches = f.schema().getTypes().stream().filter(s -> !s.getName().equals("Interrupt")).toList();
            return new Field("payload", Schema.createUnion(branches), f.doc());
        }).collect(ArrayList::new, ArrayList::add, ArrayList::addAll));

        assertThat(check(reduced, SessionCommand.class)).anyMatch(f -> f.fatal() && f.direction() == Direction.BACKWARD);
    }

    private static List<Finding> check(Schema candidate, Class<? extends org.apache.avro.specific.SpecificRecord> type) {
        return SchemaCompatibilityCheck.check(type.getSimpleName(), candidate, SchemaCatalog.releasedSchemas(type));
    }

    private static Schema current(Class<? extends org.apache.avro.specific.SpecificRecord> type) {
        // A fresh parse, so the tests can build variants without touching the generated class's schema.
        return new Schema.Parser().parse(SchemaCatalog.currentSchema(type).toString());
    }

    private static Schema withFields(Schema record, UnaryOperator<List<Field>> change) {
        List<Field> fields = new ArrayList<>(record.getFields().stream().map(SchemaCompatibilityCheckTest::copy).toList());
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, change.apply(fields));
    }

    private static Field copy(Field f) {
        return new Field(f, f.schema());
    }
}
