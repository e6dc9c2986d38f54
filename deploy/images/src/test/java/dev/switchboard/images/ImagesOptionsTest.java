package dev.switchboard.images;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A base that cannot be an image is a mistake in the command line (exit 2, the usage), found before anything is built. */
class ImagesOptionsTest {
    private static final Path ROOT = Path.of("checkout");

    @Test
    void everyKindOfBaseIsTakenAsWritten() {
        for (String base : new String[]{"scratch", "eclipse-temurin:25-jre", "registry.example.com:5000/java/base@sha256:"
                + "a".repeat(64), "docker://eclipse-temurin:25-jre", "tar:///images/base.tar"}) {
            assertThat(ImagesMain.Options.parse(ROOT, "--base", base).base()).isEqualTo(base);
        }
    }

    @Test
    void aBaseThatIsNoImageIsAUsageError() {
        assertThatThrownBy(() -> ImagesMain.Options.parse(ROOT, "--base", "docker://"))
                .isInstanceOf(ImagesMain.UsageException.class).hasMessageStartingWith("--base docker:// is not an image reference");
        assertThatThrownBy(() -> ImagesMain.Options.parse(ROOT, "--base", "Not An Image"))
                .isInstanceOf(ImagesMain.UsageException.class).hasMessageContaining("tar:///path/image.tar");
        assertThatThrownBy(() -> ImagesMain.Options.parse(ROOT, "--base", "tar://"))
                .isInstanceOf(ImagesMain.UsageException.class).hasMessage("--base tar:// names no file (--base tar:///path/image.tar)");
    }

    @Test
    void optionsTakeTheirValueAfterAnEqualsSignToo() {
        ImagesMain.Options options = ImagesMain.Options.parse(ROOT, "--tag=0.2.0", "--out=images", "--base=scratch", "context-gateway");
        assertThat(options.tag()).isEqualTo("0.2.0");
        assertThat(options.out()).isEqualTo(ROOT.resolve("images"));
        assertThat(options.services()).containsExactly("context-gateway");
    }

    @Test
    void aTagAnImageCannotCarryIsAUsageErrorBeforeAnythingIsBuilt() {
        assertThatThrownBy(() -> ImagesMain.Options.parse(ROOT, "--tag", "bad tag!"))
                .isInstanceOf(ImagesMain.UsageException.class).hasMessageStartingWith("--tag bad tag! is not an image tag");
        assertThatThrownBy(() -> ImagesMain.Options.parse(ROOT, "--tag=.hidden")).isInstanceOf(ImagesMain.UsageException.class);
        assertThat(ImagesMain.Options.parse(ROOT, "--tag", "0.1.0-rc_1").tag()).isEqualTo("0.1.0-rc_1");
    }
}
