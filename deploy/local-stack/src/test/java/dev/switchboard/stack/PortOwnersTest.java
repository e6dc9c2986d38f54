package dev.switchboard.stack;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A taken port is named with what holds it and how to free it: another stack's part is never called a stranger. */
class PortOwnersTest {

    @Test
    void aPostgresOfAnotherCheckoutsStackIsNamedByItsCheckout() {
        List<String> postgres = List.of("/opt/pg/bin/postgres", "-D", "/home/ana/switchboard/.switchboard/data/postgres", "-p", "5432");
        assertThat(PortOwners.describe(41, postgres, String.join(" ", postgres), false))
                .isEqualTo("the PostgreSQL of the Switchboard stack of /home/ana/switchboard (pid 41): stop that stack with"
                        + " ./switchboard down there (if that stack is gone, ./switchboard up there stops what it left)");
    }

    @Test
    void aPostgresOfAStackWithAStateDirectoryOfItsOwnIsThatStacksNotAStrangers() {
        List<String> postgres = List.of("/opt/pg/bin/postgres", "-D", "/tmp/second/state/data/postgres", "-p", "5432");
        String described = PortOwners.describe(42, postgres, String.join(" ", postgres), false);
        assertThat(described).startsWith("the PostgreSQL of the Switchboard stack whose state is in /tmp/second/state (pid 42)")
                .contains("SWITCHBOARD_STATE_DIR=/tmp/second/state ./switchboard down", "SWITCHBOARD_POSTGRES_PORT")
                .doesNotContain("did not start");
    }

    @Test
    void aStackOrServiceWithAStateDirectoryOfItsOwnIsStoppedByNamingIt() {
        List<String> stack = List.of("/opt/jdk/bin/java", "-jar", "/tmp/probe/deploy/local-stack/target/local-stack.jar", "/tmp/probe");
        assertThat(PortOwners.describe(44, stack, String.join(" ", stack), true, "/tmp/probe-state"))
                .isEqualTo("the Switchboard stack of /tmp/probe (pid 44): stop it with SWITCHBOARD_STATE_DIR=/tmp/probe-state ./switchboard down there");
        assertThat(PortOwners.describe(44, stack, String.join(" ", stack), true, null))
                .isEqualTo("the Switchboard stack of /tmp/probe (pid 44): stop it with ./switchboard down there");
        List<String> service = List.of("/opt/jdk/bin/java", "-jar", "/tmp/probe/context-gateway/target/quarkus-app/quarkus-run.jar");
        assertThat(PortOwners.describe(45, service, String.join(" ", service), false, "/tmp/probe-state"))
                .isEqualTo("context-gateway of the Switchboard checkout /tmp/probe (pid 45): stop its stack with"
                        + " SWITCHBOARD_STATE_DIR=/tmp/probe-state ./switchboard down there, or kill 45");
    }

    @Test
    void theEnvironmentOfAProcessOfThisUserIsRead() {
        assertThat(Processes.environment(ProcessHandle.current(), "PATH")).isEqualTo(java.util.Optional.ofNullable(System.getenv("PATH")));
        assertThat(Processes.environment(ProcessHandle.current(), "SWITCHBOARD_NO_SUCH_VARIABLE")).isEmpty();
    }

    @Test
    void anythingElseIsNamedByItsCommandLine() {
        List<String> other = List.of("/usr/sbin/nginx", "-g", "daemon off;");
        assertThat(PortOwners.describe(43, other, String.join(" ", other), false))
                .isEqualTo("pid 43 (/usr/sbin/nginx -g daemon off;), which this stack did not start: stop it (kill 43)");
    }
}
