package dev.switchboard.gateway;

import dev.switchboard.testing.PackageCycles;
import dev.switchboard.testing.ThreadCreation;
import org.junit.jupiter.api.Test;

/** The context gateway's packages depend on each other in one direction only (read from its compiled classes), and it makes threads only through the kit. */
class GatewayPackagesTest {

    @Test
    void noPackageCycles() {
        PackageCycles.assertNoCycles("dev.switchboard.gateway");
    }

    @Test
    void threadsAreMadeOnlyThroughApplicationThreads() {
        ThreadCreation.assertOnlyThroughApplicationThreads();
    }
}
