package dev.switchboard.stack;

import dev.switchboard.infra.FreePorts;
import dev.switchboard.stack.StackSettings.ServiceSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Local stacks for tests: the repository's packaged services on free ports, state in a temporary directory. */
final class TestStacks {
    private TestStacks() {
    }

    static Path repositoryRoot() {
        // Surefire runs in the module directory, deploy/local-stack.
        Path root = Path.of("").toAbsolutePath().getParent().getParent();
        if (!Files.exists(root.resolve("switchboard"))) {
            throw new IllegalStateException("not the repository root: " + root);
        }
        return root;
    }

    static StackSettings onFreePorts() {
        return onFreePorts(List.of("context-gateway", "transcript-service", "call-controller", "agent-worker"), RestartPolicy.DEFAULT);
    }

    /** Only the named services, restarted as the policy says. */
    static StackSettings onFreePorts(List<String> services, RestartPolicy restarts) {
        try {
            return new StackSettings(repositoryRoot(), Files.createTempDirectory("switchboard-stack"), "127.0.0.1",
                    FreePorts.pick(), FreePorts.pick(), FreePorts.pick(),
                    services.stream().map(name -> new ServiceSpec(name, FreePorts.pick(), name.equals("transcript-service"))).toList(),
                    restarts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
