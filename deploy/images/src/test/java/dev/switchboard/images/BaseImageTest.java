package dev.switchboard.images;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BaseImageTest {
    @TempDir
    Path work;

    /** ".invalid" never resolves (RFC 2606): the build stops before Jib's minute of retries, saying what else to do. */
    @Test
    void aBaseOnARegistryWhoseNameDoesNotResolveIsRefusedAtOnceWithTheAlternatives() {
        BaseImage base = BaseImage.of("registry.invalid/switchboard/base:1");

        assertThatThrownBy(() -> base.start(work, work, message -> { }))
                .isInstanceOf(ImageException.class)
                .hasMessageStartingWith("cannot resolve registry.invalid, the registry of the base image registry.invalid/switchboard/base:1")
                .hasMessageContaining("--base scratch", "--base docker://IMAGE", "--base tar:///path/image.tar");
    }
}
