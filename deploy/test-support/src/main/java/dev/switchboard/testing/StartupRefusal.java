package dev.switchboard.testing;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** For {@code @QuarkusMainTest}s of a service's start-up checks: a wrong setting stops it with one line, no stack trace. */
public final class StartupRefusal {
    private StartupRefusal() {
    }

    /** Starts the application with these settings, expects it to stop, and returns what it printed, which has no stack trace. */
    public static String of(QuarkusMainLauncher launcher, Map<String, String> settings) {
        settings.forEach(System::setProperty);
        LaunchResult result;
        try {
            result = launcher.launch();
        } finally {
            settings.keySet().forEach(System::clearProperty);
        }
        String output = result.getOutput() + "\n" + result.getErrorOutput();
        assertThat(result.exitCode()).as("its exit code; its output:%n%s", output).isNotZero();
        assertThat(output).as("no stack trace").doesNotContainPattern("(?m)^\\s+at \\S+\\(").doesNotContain("Caused by:", "Exception");
        return output;
    }
}
