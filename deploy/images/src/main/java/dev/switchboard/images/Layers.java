package dev.switchboard.images;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Image layers made of files, owned by root and read-only for the services' user: what runs cannot change its own
 * code. Files keep whether they are executable; modification times are fixed, so equal inputs give equal layers.
 */
final class Layers {
    static final String ROOT_OWNER = "0:0";
    static final Instant FIXED_TIME = Instant.ofEpochSecond(1);
    private static final FilePermissions EXECUTABLE = FilePermissions.fromOctalString("755");
    private static final FilePermissions READABLE = FilePermissions.fromOctalString("644");

    private Layers() {
    }

    /** The regular files under {@code source} accepted by {@code include}, at the same relative paths under {@code target}. */
    static FileEntriesLayer tree(String name, Path source, AbsoluteUnixPath target, Predicate<Path> include) {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        try (Stream<Path> files = Files.walk(source)) {
            files.filter(Files::isRegularFile).filter(f -> include.test(source.relativize(f))).sorted().forEach(file -> {
                AbsoluteUnixPath inImage = target.resolve(source.relativize(file).toString());
                layer.addEntry(file, inImage, permissions(file), FIXED_TIME, ROOT_OWNER);
            });
        } catch (IOException e) {
            throw new ImageException("cannot read " + source + ": " + e.getMessage(), e);
        }
        return layer.build();
    }

    /** Single files, each at its path in the image (a key ending in '/' with a directory source is an empty directory). */
    static FileEntriesLayer files(String name, Map<AbsoluteUnixPath, Path> entries, Map<AbsoluteUnixPath, FilePermissions> permissions) {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        entries.entrySet().stream().sorted(Map.Entry.comparingByKey((a, b) -> a.toString().compareTo(b.toString())))
                .forEach(e -> layer.addEntry(e.getValue(), e.getKey(),
                        permissions.getOrDefault(e.getKey(), permissions(e.getValue())), FIXED_TIME, ROOT_OWNER));
        return layer.build();
    }

    private static FilePermissions permissions(Path file) {
        return Files.isDirectory(file) || Files.isExecutable(file) ? EXECUTABLE : READABLE;
    }
}
