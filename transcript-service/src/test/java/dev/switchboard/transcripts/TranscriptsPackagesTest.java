package dev.switchboard.transcripts;

import dev.switchboard.testing.PackageCycles;
import dev.switchboard.testing.ThreadCreation;
import org.junit.jupiter.api.Test;

/** The transcript service's packages depend on each other in one direction only, read from its compiled classes. */
class TranscriptsPackagesTest {

    @Test
    void noPackageCycles() {
        PackageCycles.assertNoCycles("dev.switchboard.transcripts");
    }

    @Test
    void threadsAreMadeOnlyThroughApplicationThreads() {
        ThreadCreation.assertOnlyThroughApplicationThreads();
    }
}
