package dev.switchboard.transcripts.support;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Strict little parsers for SubRip and WebVTT, to check what the service writes. */
public final class Subtitles {
    public record Cue(String id, long startMs, long endMs, String text) {
    }

    private static final Pattern SRT_TIMING = Pattern.compile("(\\d{2}):(\\d{2}):(\\d{2}),(\\d{3}) --> (\\d{2}):(\\d{2}):(\\d{2}),(\\d{3})");
    private static final Pattern VTT_TIMING = Pattern.compile("(\\d{2}):(\\d{2}):(\\d{2})\\.(\\d{3}) --> (\\d{2}):(\\d{2}):(\\d{2})\\.(\\d{3})");

    private Subtitles() {
    }

    public static List<Cue> srt(String body) {
        List<Cue> cues = new ArrayList<>();
        int expectedIndex = 1;
        for (String block : blocks(body)) {
            String[] lines = block.split("\n");
            if (lines.length < 3) {
                throw new AssertionError("an SRT cue has an index, a timing and text: " + block);
            }
            if (Integer.parseInt(lines[0]) != expectedIndex++) {
                throw new AssertionError("SRT cues are numbered 1, 2, 3...: " + block);
            }
            cues.add(cue(lines[0], SRT_TIMING, lines[1], String.join("\n", List.of(lines).subList(2, lines.length))));
        }
        return cues;
    }

    public static List<Cue> vtt(String body) {
        List<String> blocks = blocks(body);
        if (blocks.isEmpty() || !blocks.getFirst().startsWith("WEBVTT")) {
            throw new AssertionError("a WebVTT file starts with WEBVTT");
        }
        List<Cue> cues = new ArrayList<>();
        for (String block : blocks.subList(1, blocks.size())) {
            String[] lines = block.split("\n");
            boolean hasId = !lines[0].contains("-->");
            int timing = hasId ? 1 : 0;
            cues.add(cue(hasId ? lines[0] : null, VTT_TIMING, lines[timing], String.join("\n", List.of(lines).subList(timing + 1, lines.length))));
        }
        return cues;
    }

    private static List<String> blocks(String body) {
        if (body.contains("\r")) {
            throw new AssertionError("line ends are \\n");
        }
        return List.of(body.strip().split("\n\n")).stream().filter(b -> !b.isBlank()).toList();
    }

    private static Cue cue(String id, Pattern timing, String line, String text) {
        Matcher m = timing.matcher(line);
        if (!m.matches()) {
            throw new AssertionError("not a cue timing: " + line);
        }
        long start = millis(m, 1);
        long end = millis(m, 5);
        if (end <= start) {
            throw new AssertionError("a cue ends after it starts: " + line);
        }
        return new Cue(id, start, end, text);
    }

    private static long millis(Matcher m, int group) {
        return Long.parseLong(m.group(group)) * 3_600_000 + Long.parseLong(m.group(group + 1)) * 60_000
                + Long.parseLong(m.group(group + 2)) * 1000 + Long.parseLong(m.group(group + 3));
    }
}
