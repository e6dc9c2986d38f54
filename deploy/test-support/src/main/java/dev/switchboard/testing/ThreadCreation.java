package dev.switchboard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service's threads must come from the kit's {@code ApplicationThreads} factories, which give them the application's
 * class loader: a thread made otherwise inherits its maker's loader, and in the packaged service the first call that
 * loads a class by name on it fails (issue 9). Read from the sources: no raw thread ({@code Thread.ofVirtual()},
 * {@code Thread.ofPlatform()}, {@code new Thread(}), and every {@code Executors.new...(...)} passes such a factory.
 */
public final class ThreadCreation {
    private static final Pattern RAW_THREAD = Pattern.compile("Thread\\.of(Virtual|Platform)\\(|new Thread\\(");
    private static final Pattern EXECUTOR = Pattern.compile("Executors\\.new\\w*\\(");

    private ThreadCreation() {
    }

    /** Fails naming each place under {@code src/main/java} that makes a thread without the kit's factories. */
    public static void assertOnlyThroughApplicationThreads() {
        assertThat(offenders(Path.of("src/main/java"))).as("threads made without ApplicationThreads").isEmpty();
    }

    static List<String> offenders(Path sources) {
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> offendersIn(sources, p).stream()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> offendersIn(Path sources, Path file) {
        String code;
        try {
            code = withoutComments(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> found = new ArrayList<>();
        Matcher raw = RAW_THREAD.matcher(code);
        while (raw.find()) {
            found.add(sources.relativize(file) + ":" + line(code, raw.start()) + ": " + raw.group());
        }
        Matcher executor = EXECUTOR.matcher(code);
        while (executor.find()) {
            String arguments = arguments(code, executor.end());
            if (!arguments.contains("ApplicationThreads.") && !arguments.contains("Threads.")) {
                found.add(sources.relativize(file) + ":" + line(code, executor.start()) + ": " + executor.group() + arguments + ")");
            }
        }
        return found;
    }

    /** The text up to the parenthesis that closes the one before {@code from}. */
    private static String arguments(String code, int from) {
        int depth = 1;
        for (int i = from; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return code.substring(from, i);
            }
        }
        return code.substring(from);
    }

    private static int line(String code, int offset) {
        return (int) code.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
    }

    /** Block and line comments blanked out (newlines kept, so line numbers stay right). */
    static String withoutComments(String code) {
        return Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL).matcher(code)
                .replaceAll(m -> Matcher.quoteReplacement(m.group().replaceAll("[^\\n]", " ")));
    }
}
