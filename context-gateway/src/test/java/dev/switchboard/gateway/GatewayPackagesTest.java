package dev.switchboard.gateway;

import dev.switchboard.testing.PackageCycles;
import org.junit.jupiter.api.Test;

/** The context gateway's packages depend on each other in one direction only, read from its compiled classes. */
class GatewayPackagesTest {

    @Test
    void noPackageCycles() {
        PackageCycles.assertNoCycles("dev.switchboard.gateway");
    }
}
