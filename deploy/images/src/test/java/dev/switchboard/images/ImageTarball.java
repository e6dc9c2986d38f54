package dev.switchboard.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * An image tarball as {@code docker load} reads it (manifest.json, the configuration, the layers), read back with
 * no help from the code that wrote it: the names it is tagged with, its configuration, and its file system.
 */
record ImageTarball(Path file, List<String> repoTags, JsonNode config, List<String> layers) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ImageTarball read(Path file) throws IOException {
        Map<String, byte[]> small = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(file))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (e.getName().endsWith(".json")) {
                    small.put(e.getName(), tar.readAllBytes());
                }
            }
        }
        JsonNode manifest = JSON.readTree(small.get("manifest.json"));
        if (manifest == null || manifest.size() != 1) {
            throw new IOException(file + " has no manifest.json with one image");
        }
        JsonNode image = manifest.get(0);
        List<String> tags = new ArrayList<>();
        image.get("RepoTags").forEach(t -> tags.add(t.asText()));
        List<String> layers = new ArrayList<>();
        image.get("Layers").forEach(l -> layers.add(l.asText()));
        JsonNode config = JSON.readTree(small.get(image.get("Config").asText()));
        return new ImageTarball(file, tags, config.get("config"), layers);
    }

    List<String> entrypoint() {
        List<String> entrypoint = new ArrayList<>();
        config.path("Entrypoint").forEach(a -> entrypoint.add(a.asText()));
        return entrypoint;
    }

    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        config.path("Env").forEach(e -> {
            String[] kv = e.asText().split("=", 2);
            env.put(kv[0], kv[1]);
        });
        return env;
    }

    /** Unpacks the layers in order into {@code root}, keeping each file's mode (the images have no deletions). */
    void extractTo(Path root) throws IOException {
        Files.createDirectories(root);
        for (String layer : layers) {
            try (TarArchiveInputStream outer = new TarArchiveInputStream(Files.newInputStream(file))) {
                for (TarArchiveEntry e; (e = outer.getNextEntry()) != null; ) {
                    if (e.getName().equals(layer)) {
                        extractLayer(new GZIPInputStream(outer), root);
                        break;
                    }
                }
            }
        }
    }

    /** The owner (uid) the image gives {@code path} (no leading slash), as its last layer holding it says. */
    long ownerOf(String path) throws IOException {
        Long owner = null;
        for (String layer : layers) {
            try (TarArchiveInputStream outer = new TarArchiveInputStream(Files.newInputStream(file))) {
                for (TarArchiveEntry e; (e = outer.getNextEntry()) != null; ) {
                    if (e.getName().equals(layer)) {
                        TarArchiveInputStream entries = new TarArchiveInputStream(new GZIPInputStream(outer));
                        for (TarArchiveEntry entry; (entry = entries.getNextEntry()) != null; ) {
                            if (entry.getName().replaceFirst("^/", "").equals(path)) {
                                owner = entry.getLongUserId();
                            }
                        }
                        break;
                    }
                }
            }
        }
        if (owner == null) {
            throw new IllegalStateException(path + " is in no layer of " + file);
        }
        return owner;
    }

    private static void extractLayer(InputStream gzipped, Path root) throws IOException {
        TarArchiveInputStream layer = new TarArchiveInputStream(gzipped);
        for (TarArchiveEntry e; (e = layer.getNextEntry()) != null; ) {
            // As GNU tar and container runtimes do: a name that climbs is refused, not quietly normalized.
            if (List.of(e.getName().split("/")).contains("..")) {
                throw new IOException("layer entry with '..' in its name: " + e.getName());
            }
            Path target = root.resolve(e.getName()).normalize();
            if (!target.startsWith(root)) {
                throw new IOException("layer entry outside the root: " + e.getName());
            }
            if (e.isDirectory()) {
                Files.createDirectories(target);
            } else if (e.isSymbolicLink()) {
                Files.createDirectories(target.getParent());
                Files.deleteIfExists(target);
                Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                continue;
            } else {
                Files.createDirectories(target.getParent());
                Files.copy(layer, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(target, permissions(e.getMode()));
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, highest bit first
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    /** The mode bits of a file in an extracted image. */
    static Set<PosixFilePermission> modeOf(Path file) throws IOException {
        return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
    }
}
