package dev.switchboard.images;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./switchboard images [--base scratch|IMAGE] [--tag TAG] [--out DIR] [SERVICE...]}: builds the services'
 * images from their packaged applications into DIR/SERVICE.tar (default target/images of the checkout).
 */
public final class ImagesMain {

    /** What the command was asked to do. */
    record Options(List<String> services, String base, String tag, Path out) {
        static Options parse(Path root, String... given) {
            String[] args = spelledApart(given);
            List<String> services = new ArrayList<>();
            String base = BaseImage.SCRATCH;
            String tag = ServiceImage.DEFAULT_TAG;
            Path out = root.resolve("target/images");
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--base" -> base = baseImage(value(args, ++i, "--base"));
                    case "--tag" -> tag = tag(value(args, ++i, "--tag"));
                    case "--out" -> out = root.resolve(value(args, ++i, "--out"));
                    default -> {
                        if (!ServiceImage.SERVICES.contains(args[i])) {
                            throw new UsageException("unknown service or option: " + args[i] + " (services: "
                                    + String.join(", ", ServiceImage.SERVICES) + ")");
                        }
                        services.add(args[i]);
                    }
                }
            }
            return new Options(services.isEmpty() ? ServiceImage.SERVICES : List.copyOf(services), base, tag, out);
        }

        /** scratch, a registry reference, docker://IMAGE or tar:///path/image.tar: anything else is a mistake in the command. */
        private static String baseImage(String value) {
            if (value.equals(BaseImage.SCRATCH)) {
                return value;
            }
            if (value.startsWith(Jib.TAR_IMAGE_PREFIX)) {
                if (value.substring(Jib.TAR_IMAGE_PREFIX.length()).isBlank()) {
                    throw new UsageException("--base " + value + " names no file (--base tar:///path/image.tar)");
                }
                return value;
            }
            String image = value.startsWith(Jib.DOCKER_DAEMON_IMAGE_PREFIX) ? value.substring(Jib.DOCKER_DAEMON_IMAGE_PREFIX.length()) : value;
            try {
                ImageReference.parse(image);
                return value;
            } catch (InvalidImageReferenceException e) {
                throw new UsageException("--base " + value + " is not an image reference (--base " + BaseImage.SCRATCH
                        + ", an image such as eclipse-temurin:25-jre, docker://IMAGE or tar:///path/image.tar)");
            }
        }

        /** {@code --tag=0.2.0} as {@code --tag 0.2.0}, as the operator commands take both spellings. */
        private static String[] spelledApart(String[] args) {
            List<String> apart = new ArrayList<>();
            for (String arg : args) {
                int equals = arg.indexOf('=');
                if (arg.startsWith("--") && equals > 2) {
                    apart.add(arg.substring(0, equals));
                    apart.add(arg.substring(equals + 1));
                } else {
                    apart.add(arg);
                }
            }
            return apart.toArray(String[]::new);
        }

        /** Checked before anything is built: a tag an image cannot carry would only fail once the images were made. */
        private static String tag(String value) {
            if (!ImageReference.isValidTag(value)) {
                throw new UsageException("--tag " + value + " is not an image tag (letters, digits, _ . -, at most 128, "
                        + "not starting with . or -)");
            }
            return value;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new UsageException(option + " needs a value");
            }
            return args[i];
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: ImagesMain ROOT [--base scratch|IMAGE] [--tag TAG] [--out DIR] [SERVICE...]");
            System.exit(2);
        }
        Path root = Path.of(args[0]).toAbsolutePath().normalize();
        Options options;
        try {
            options = Options.parse(root, java.util.Arrays.copyOfRange(args, 1, args.length));
        } catch (UsageException e) {
            System.err.println("switchboard images: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            BaseImage base = BaseImage.of(options.base());
            System.out.println("building " + String.join(", ", options.services()) + " on " + base.describe());
            for (String service : options.services()) {
                ServiceImage.Built built = ServiceImage.build(service, root.resolve(service).resolve("target/quarkus-app"), base,
                        options.tag(), options.out().resolve(service + ".tar"), options.out().resolve(".work"),
                        options.out().resolve(".cache"), message -> System.err.println("  " + message));
                System.out.printf(Locale.ROOT, "%-40s %s  %.0f MB  %.1f s  %s%n", built.reference(), root.relativize(built.tarball()),
                        built.bytes() / 1e6, built.took().toMillis() / 1000.0, built.digest());
            }
            AssembledBase.deleteRecursively(options.out().resolve(".work"));
            System.out.println("load one with 'docker load -i " + root.relativize(options.out()) + "/SERVICE.tar' (or podman load),"
                    + " push one with 'skopeo copy docker-archive:" + root.relativize(options.out()) + "/SERVICE.tar docker://REGISTRY/...'"
                    + " or 'crane push FILE REGISTRY/...'");
        } catch (ImageException e) {
            System.err.println("switchboard images: " + e.getMessage());
            System.exit(1);
        }
    }
}
