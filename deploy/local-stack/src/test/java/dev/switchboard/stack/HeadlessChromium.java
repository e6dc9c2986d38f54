package dev.switchboard.stack;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * A headless Chromium driven through its own chromedriver, both as the distribution installs them (Debian's
 * {@code chromium} and {@code chromium-driver}) and found on PATH: Selenium Manager never runs, so nothing is downloaded.
 * Without them the test fails saying what to install; CI installs them ({@code .ci/run}).
 */
final class HeadlessChromium {
    private HeadlessChromium() {
    }

    /** A browser whose downloads go to the directory, with a laptop-sized window, keeping its console's messages. */
    static ChromeDriver start(Path downloads) {
        Path driver = onPath("chromedriver").orElseThrow(() -> missing("chromedriver"));
        Path browser = Stream.of("chromium", "chromium-browser").map(HeadlessChromium::onPath).flatMap(Optional::stream).findFirst()
                .orElseThrow(() -> missing("chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).usingAnyFreePort()
                .withLogFile(new File("target/chromedriver.log")).build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toFile());
        // --no-sandbox: CI runs the tests as root, where Chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1366,900",
                "--no-first-run", "--disable-extensions", "--lang=en-US");
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toAbsolutePath().toString(),
                "download.prompt_for_download", false));
        // What the page's console says (errors, failed requests), for a test to read through manage().logs().
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriver chrome = new ChromeDriver(service, options);
        chrome.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow",
                "downloadPath", downloads.toAbsolutePath().toString()));
        return chrome;
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator)).filter(dir -> !dir.isBlank()).map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable).findFirst();
    }

    private static AssertionError missing(String program) {
        return new AssertionError(program + " is not on PATH: the console's browser tests need Debian's chromium and chromium-driver"
                + " packages (apt-get install chromium chromium-driver; .ci/run installs them when missing)");
    }
}
