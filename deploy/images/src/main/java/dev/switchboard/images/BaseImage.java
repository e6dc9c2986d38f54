package dev.switchboard.images;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.function.Consumer;

/** What a service's image is built on: a runtime assembled here from nothing, or an existing image with a Java 25. */
public sealed interface BaseImage permits AssembledBase, BaseImage.Existing {

    /** The default: no base image at all; the Java runtime, system libraries and /etc are assembled by the build. */
    String SCRATCH = "scratch";

    /**
     * {@value #SCRATCH}, or a base image with Java 25 on its PATH: a registry reference such as
     * {@code eclipse-temurin:25-jre}, {@code docker://IMAGE} (from a Docker daemon) or {@code tar:///path/image.tar}.
     */
    static BaseImage of(String value) {
        return value.equals(SCRATCH) ? new AssembledBase(Path.of(System.getProperty("java.home"))) : new Existing(value);
    }

    /**
     * A container builder holding this base, ready for the application's layers.
     *
     * @param quarkusApp the packaged application (its native code decides which system libraries the image needs)
     * @param work a scratch directory for this image
     * @param log takes notes worth showing (what was left out, and why)
     */
    JibContainerBuilder start(Path quarkusApp, Path work, Consumer<String> log);

    String describe();

    /** An existing image, taken as it is: it must bring Java 25 (on PATH) and the C and C++ runtime libraries. */
    record Existing(String reference) implements BaseImage {
        @Override
        public JibContainerBuilder start(Path quarkusApp, Path work, Consumer<String> log) {
            try {
                if (reference.startsWith(Jib.DOCKER_DAEMON_IMAGE_PREFIX) || reference.startsWith(Jib.TAR_IMAGE_PREFIX)) {
                    return Jib.from(reference);
                }
                // A registry: with the credentials docker login, podman login or a credential helper left.
                ImageReference image = ImageReference.parse(reference);
                requireResolvable(image);
                CredentialRetrieverFactory credentials = CredentialRetrieverFactory.forImage(image, event -> { });
                return Jib.from(RegistryImage.named(image)
                        .addCredentialRetriever(credentials.dockerConfig())
                        .addCredentialRetriever(credentials.wellKnownCredentialHelpers()));
            } catch (InvalidImageReferenceException e) {
                throw new ImageException("not an image reference: " + reference + " (" + e.getMessage() + ")", e);
            }
        }

        /**
         * Fails at once when the registry's host name does not resolve (offline, or a misspelt registry), where Jib
         * would try again for about a minute. Behind a proxy the proxy resolves it, so nothing is checked then.
         */
        private void requireResolvable(ImageReference image) {
            if (System.getProperty("https.proxyHost") != null || System.getProperty("http.proxyHost") != null) {
                return;
            }
            String host = URI.create("https://" + image.getRegistry()).getHost();
            try {
                InetAddress.getAllByName(host);
            } catch (UnknownHostException e) {
                throw new ImageException("cannot resolve " + host + ", the registry of the base image " + reference
                        + " (" + e.getMessage() + "). Build without a registry on the default base (--base " + SCRATCH
                        + "), take the image from a Docker daemon (--base docker://IMAGE) or a saved tarball"
                        + " (--base tar:///path/image.tar), or set https.proxyHost in JAVA_TOOL_OPTIONS behind a proxy", e);
            }
        }

        @Override
        public String describe() {
            return reference;
        }
    }
}
