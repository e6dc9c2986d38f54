package dev.switchboard.transcripts.mapping;

import dev.switchboard.events.Issuer;
import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.kit.kafka.StorableInstant;
import dev.switchboard.transcripts.redaction.Detector;
import dev.switchboard.transcripts.redaction.Redaction;
import dev.switchboard.transcripts.redaction.Redactor;
import dev.switchboard.transcripts.store.SearchConfigs;
import dev.switchboard.transcripts.store.SegmentRow;
import jakarta.inject.Singleton;

import java.util.EnumSet;

/**
 * Turns a {@link TranscriptSegment} from Kafka into the row that is stored and streamed: validated, redacted
 * (text and generated text), with the text search configuration of its language. Both the ingestion and the live
 * tail use it, so what a live stream shows is exactly what gets stored.
 */
@Singleton
public class SegmentMapper {
    private final Redactor redactor;
    private final SearchConfigs searchConfigs;

    public SegmentMapper(Redactor redactor, SearchConfigs searchConfigs) {
        this.redactor = redactor;
        this.searchConfigs = searchConfigs;
    }

    public SegmentRow toRow(TranscriptSegment segment) {
        Redaction text = redactor.redact(spoken(segment.getText()));
        Redaction generated = redactor.redact(spoken(segment.getGeneratedText()));
        EnumSet<Detector> fired = EnumSet.noneOf(Detector.class);
        fired.addAll(text.fired());
        fired.addAll(generated.fired());
        Issuer issuer = segment.getInjectedBy();
        String language = segment.getLanguage();
        return new SegmentRow(
                Ids.uuid("segmentId", segment.getSegmentId()),
                Ids.uuid("sessionId", segment.getSessionId()),
                Ids.room(segment.getRoom()),
                segment.getSequence(),
                segment.getRevision(),
                segment.getRole() == null ? "UNKNOWN" : segment.getRole().name(),
                storable(segment.getParticipantIdentity()),
                text.text() == null ? "" : text.text(),
                segment.getStartMs(),
                segment.getEndMs(),
                segment.getIsFinal(),
                segment.getInterrupted(),
                generated.text(),
                storable(language),
                segment.getConfidence(),
                issuer == null || issuer.getKind() == null ? null : issuer.getKind().name(),
                issuer == null ? null : storable(issuer.getId()),
                issuer == null ? null : storable(issuer.getDisplayName()),
                storable(segment.getCommandId()),
                storable(segment.getLabel()),
                StorableInstant.of("createdAt", segment.getCreatedAt()),
                fired.stream().map(Detector::label).sorted().toList(),
                searchConfigs.forSegment(language),
                Ids.tenant(segment.getTenant()));
    }

    /**
     * What was said, in Unicode's composed form (NFC): speech-to-text engines, LLMs and other publishers write "café" with
     * an é of its own or as e followed by a combining accent; composed, both are found by a search typed either way.
     */
    static String spoken(String value) {
        return value == null ? null : SpokenText.composed(storable(value));
    }

    /** PostgreSQL text cannot hold NUL characters; anything else is kept as it came. */
    static String storable(String value) {
        return StorableText.of(value);
    }
}
