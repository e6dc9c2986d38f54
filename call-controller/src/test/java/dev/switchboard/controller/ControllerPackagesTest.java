package dev.switchboard.controller;

import dev.switchboard.testing.PackageCycles;
import dev.switchboard.testing.ThreadCreation;
import org.junit.jupiter.api.Test;

/** The call controller's packages depend on each other in one direction only, read from its compiled classes. */
class ControllerPackagesTest {

    @Test
    void noPackageCycles() {
        PackageCycles.assertNoCycles("dev.switchboard.controller");
    }

    @Test
    void threadsAreMadeOnlyThroughApplicationThreads() {
        ThreadCreation.assertOnlyThroughApplicationThreads();
    }
}
