package dev.switchboard.transcripts.store;

import dev.switchboard.events.SpeakerRole;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.transcripts.mapping.SegmentMapper;
import dev.switchboard.transcripts.support.Database;
import dev.switchboard.transcripts.support.Events.Call;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writer COPies first versions (revision 0) without looking them up, so a redelivered one must still change
 * nothing, in a batch of its own or among new lines, and a later revision of a stored line must still replace it.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class SegmentWriterTest {
    @Inject
    SegmentWriter writer;
    @Inject
    SegmentMapper mapper;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void aRedeliveredFirstVersionAmongNewLinesChangesNothingAndTheNewLinesAreStored() throws SQLException {
        Call call = Call.start("writer-redelivery");
        SegmentRow first = mapper.toRow(call.caller(0, "I would like to move my appointment.", 100, 1500));
        assertThat(writer.write(List.of(first))).isEqualTo(new SegmentWriter.Result(1, 0, 0));
        List<String> stored = segmentsOf(call);
        List<String> sessionRow = sessionOf(call);

        SegmentRow next = mapper.toRow(call.agent(1, "Of course, to which day?", 1600, 2800));
        assertThat(writer.write(List.of(first, next))).isEqualTo(new SegmentWriter.Result(1, 1, 0));
        assertThat(segmentsOf(call)).hasSize(2).startsWith(stored.getFirst());
        List<String> afterNewLine = sessionOf(call);
        assertThat(afterNewLine).isNotEqualTo(sessionRow); // a new line gives the session row a new version

        // Only redeliveries: the COPY fails on the key, the upsert changes nothing, the session row keeps its version.
        assertThat(writer.write(List.of(first, next))).isEqualTo(new SegmentWriter.Result(0, 2, 0));
        assertThat(writer.write(List.of(first))).isEqualTo(new SegmentWriter.Result(0, 1, 0));
        assertThat(segmentsOf(call)).hasSize(2).startsWith(stored.getFirst());
        assertThat(sessionOf(call)).isEqualTo(afterNewLine);
    }

    @Test
    void aLaterRevisionOfAStoredLineReplacesItAndARedeliveredOneDoesNot() throws SQLException {
        Call call = Call.start("writer-revision");
        var line = call.line(0, SpeakerRole.USER, "I would like", 100, 900).setIsFinal(false);
        assertThat(writer.write(List.of(mapper.toRow(line.build())))).isEqualTo(new SegmentWriter.Result(1, 0, 0));

        SegmentRow fin = mapper.toRow(line.setRevision(1).setIsFinal(true).setText("I would like a refund.").build());
        SegmentRow other = mapper.toRow(call.agent(1, "Let me check.", 1000, 1800));
        assertThat(writer.write(List.of(fin, other))).isEqualTo(new SegmentWriter.Result(2, 0, 0));
        assertThat(Database.query(dataSource, "SELECT text, is_final FROM segments WHERE session_id = '" + call.sessionId() + "' ORDER BY sequence"))
                .containsExactly("text=I would like a refund.|is_final=t", "text=Let me check.|is_final=t");

        assertThat(writer.write(List.of(fin))).isEqualTo(new SegmentWriter.Result(0, 1, 0));
    }

    @Test
    void linesLongerThanACopyChunkAndLinesSpanningChunksAreStoredWhole() throws SQLException {
        Call call = Call.start("writer-chunks");
        String longText = "word ".repeat(20_000).trim(); // 100 KB: more than one 64 KiB chunk on its own
        List<String> texts = new ArrayList<>();
        List<SegmentRow> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String text = i == 150 ? longText : "line " + i + " " + "é".repeat(i % 97); // multi-byte text, uneven lengths
            texts.add(text);
            rows.add(mapper.toRow(call.agent(i, text, i * 1000L, i * 1000L + 900)));
        }
        assertThat(writer.write(rows)).isEqualTo(new SegmentWriter.Result(400, 0, 0));
        assertThat(Database.query(dataSource, "SELECT text FROM segments WHERE session_id = '" + call.sessionId() + "' ORDER BY sequence"))
                .containsExactlyElementsOf(texts.stream().map(t -> "text=" + t).toList());
    }

    private List<String> segmentsOf(Call call) {
        return Database.query(dataSource, "SELECT * FROM segments WHERE session_id = '" + call.sessionId() + "' ORDER BY sequence");
    }

    /** The session row with its version (xmin): the cached renderings of a transcript are keyed by it. */
    private List<String> sessionOf(Call call) {
        return Database.query(dataSource, "SELECT xmin, * FROM sessions WHERE session_id = '" + call.sessionId() + "'");
    }
}
