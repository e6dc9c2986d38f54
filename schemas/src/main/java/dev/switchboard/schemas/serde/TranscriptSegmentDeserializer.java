package dev.switchboard.schemas.serde;

import dev.switchboard.events.TranscriptSegment;

/** Deserializer for {@link TranscriptSegment} records. */
public final class TranscriptSegmentDeserializer extends AvroDeserializer<TranscriptSegment> {
    public TranscriptSegmentDeserializer() {
        super(TranscriptSegment.class);
    }
}
