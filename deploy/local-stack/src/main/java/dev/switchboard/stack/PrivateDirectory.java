package dev.switchboard.stack;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The stack's state directory, readable by its owner only. It holds Kafka's log segments (every transcript line,
 * cardholder data before the transcript service redacts it), PostgreSQL's files, the services' logs and the private
 * signing key; Kafka writes its files world-readable, so the directory above them is what keeps other local users out.
 * A directory an earlier version made open is closed too.
 */
final class PrivateDirectory {
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private PrivateDirectory() {
    }

    static Path ensure(Path directory) throws IOException {
        Files.createDirectories(directory);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                && !Files.getPosixFilePermissions(directory).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(directory, OWNER_ONLY);
        }
        return directory;
    }
}
