package dev.switchboard.schemas.serde;

import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.ControllerStatus;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.events.WorkerHeartbeat;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The top-level records (one per topic) and every released version of their schemas.
 *
 * <p>Released versions live in this jar under {@code dev/switchboard/schemas/released/<Record>/v<N>.avsc}.
 * A released file is never edited: readers use them to decode records that older writers produced, and the
 * build's compatibility check compares the current schema against all of them.
 */
public final class SchemaCatalog {
    /** The record written to each topic. */
    public static final List<Class<? extends SpecificRecord>> TOP_LEVEL_RECORDS = List.of(
            SessionCommand.class, CommandResult.class, CallControlRequest.class, SessionEvent.class, TranscriptSegment.class,
            WorkerHeartbeat.class, AuditRecord.class, ControllerStatus.class);

    static final String RELEASED_ROOT = "dev/switchboard/schemas/released/";

    private SchemaCatalog() {
    }

    /** The schema the generated class was built from: what writers write today. */
    public static Schema currentSchema(Class<? extends SpecificRecord> type) {
        return SpecificData.get().getSchema(type);
    }

    /** Every released schema of the record, oldest first (v1, v2, ...). */
    public static List<Schema> releasedSchemas(Class<? extends SpecificRecord> type) {
        List<Schema> released = new ArrayList<>();
        ClassLoader loader = SchemaCatalog.class.getClassLoader();
        for (int version = 1; ; version++) {
            String resource = releasedResource(type.getSimpleName(), version);
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    return List.copyOf(released);
                }
                released.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read released schema " + resource, e);
            }
        }
    }

    static String releasedResource(String recordName, int version) {
        return RELEASED_ROOT + recordName + "/v" + version + ".avsc";
    }
}
