package dev.switchboard.transcripts.format;

import jakarta.ws.rs.core.MediaType;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The forms a transcript is served in, by ?format= or the Accept header. */
public enum TranscriptFormat {
    JSON("json", "application/json"),
    TEXT("text", "text/plain;charset=UTF-8"),
    SRT("srt", "application/x-subrip;charset=UTF-8"),
    VTT("vtt", "text/vtt;charset=UTF-8");

    private final String parameter;
    private final MediaType mediaType;

    TranscriptFormat(String parameter, String mediaType) {
        this.parameter = parameter;
        this.mediaType = MediaType.valueOf(mediaType);
    }

    public String parameter() {
        return parameter;
    }

    public MediaType mediaType() {
        return mediaType;
    }

    public static Optional<TranscriptFormat> byParameter(String value) {
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.parameter.equals(wanted)).findFirst();
    }

    /** The first acceptable format in the client's order of preference (JSON for * / *); empty when none is. */
    public static Optional<TranscriptFormat> negotiate(List<MediaType> acceptable) {
        if (acceptable.isEmpty()) {
            return Optional.of(JSON);
        }
        for (MediaType accepted : acceptable) {
            if (accepted.isWildcardType()) {
                return Optional.of(JSON);
            }
            for (TranscriptFormat format : values()) {
                if (accepted.isCompatible(format.mediaType) || (format == SRT && accepted.getSubtype().equals("srt"))) {
                    return Optional.of(format);
                }
            }
        }
        return Optional.empty();
    }

    public static String choices() {
        return Arrays.stream(values()).map(TranscriptFormat::parameter).collect(Collectors.joining(", "));
    }
}
