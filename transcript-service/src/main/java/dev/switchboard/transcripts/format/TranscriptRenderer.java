package dev.switchboard.transcripts.format;

import dev.switchboard.transcripts.store.SegmentRow;
import dev.switchboard.transcripts.store.SessionRow;

import java.util.List;

/**
 * Writes a transcript as text, SubRip or WebVTT. Lines are in the order given (startMs, then sequence); line
 * breaks and control characters inside a line or a label become spaces ({@link OneLine}), since a blank line ends a
 * cue in SRT and WebVTT, and every line of the text export is one segment.
 */
public final class TranscriptRenderer {
    /** How long a line without duration is shown: injected messages have none, and a zero-length cue is never seen. */
    static final long MIN_CUE_MILLIS = 1000;

    private TranscriptRenderer() {
    }

    public static String render(TranscriptFormat format, SessionRow session, List<SegmentRow> segments) {
        return switch (format) {
            case TEXT -> text(session, segments);
            case SRT -> srt(segments);
            case VTT -> vtt(session, segments);
            case JSON -> throw new IllegalArgumentException("JSON is written by the JSON provider");
        };
    }

    static String text(SessionRow session, List<SegmentRow> segments) {
        StringBuilder out = new StringBuilder(segments.size() * 80 + 200);
        out.append("Room ").append(OneLine.of(session.room())).append(", session ").append(session.sessionId()).append('\n');
        out.append("Started ").append(session.startedAt());
        if (session.ended()) {
            out.append(", ended ").append(session.endedAt());
            if (session.endReason() != null) {
                out.append(" (").append(session.endReason()).append(')');
            }
        } else {
            out.append(", still live");
        }
        for (String line : CallHeader.lines(session)) {
            out.append('\n').append(line);
        }
        out.append("\n\n");
        for (SegmentRow segment : segments) {
            out.append('[').append(Timecodes.text(segment.startMs())).append("] ").append(Speakers.label(segment)).append(": ")
                    .append(OneLine.of(segment.text()));
            if (segment.interrupted()) {
                out.append(" [interrupted]");
            }
            out.append('\n');
        }
        return out.toString();
    }

    static String srt(List<SegmentRow> segments) {
        StringBuilder out = new StringBuilder(segments.size() * 100);
        int index = 1;
        for (SegmentRow segment : segments) {
            out.append(index++).append('\n')
                    .append(Timecodes.cue(segment.startMs(), ',')).append(" --> ").append(Timecodes.cue(cueEnd(segment), ',')).append('\n')
                    .append(CueText.subRip(Speakers.label(segment) + ": " + OneLine.of(segment.text()))).append("\n\n");
        }
        return out.toString();
    }

    static String vtt(SessionRow session, List<SegmentRow> segments) {
        StringBuilder out = new StringBuilder(segments.size() * 100 + 64);
        out.append("WEBVTT - room ").append(CueText.withoutArrows(OneLine.of(session.room()))).append("\n\n");
        for (SegmentRow segment : segments) {
            // A voice span names the speaker, so players can show or style speakers (WebVTT "<v Caller>").
            out.append(segment.segmentId()).append('\n')
                    .append(Timecodes.cue(segment.startMs(), '.')).append(" --> ").append(Timecodes.cue(cueEnd(segment), '.')).append('\n')
                    .append("<v ").append(escapeVtt(Speakers.label(segment)).replace(">", "&gt;")).append('>')
                    .append(escapeVtt(OneLine.of(segment.text()))).append("\n\n");
        }
        return out.toString();
    }

    /** The segment's own end; only a line without duration (end <= start) gets the minimum display time. */
    static long cueEnd(SegmentRow segment) {
        long start = Math.max(0, segment.startMs());
        return segment.endMs() > start ? segment.endMs() : start + MIN_CUE_MILLIS;
    }

    private static String escapeVtt(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
