package dev.switchboard.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testing.livekit.DialOutcome;
import dev.switchboard.testing.livekit.FakeLiveKitServer;
import dev.switchboard.testing.llm.FakeLlmControl;
import dev.switchboard.testing.sfu.FakeSfuControl;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console in a real headless Chromium against the packaged stack the other end-to-end tests share: signed in by
 * the link {@code ./switchboard up} prints, it lists a simulated call as it starts, shows a caller's line within a second
 * of it being said, injects context (APPLIED, and the injected line appears), hangs up (the call ends with its reason),
 * finds the call in history by a spoken word, downloads its SRT and deletes it after a confirmation; it pages through
 * history with "Load more", follows a placed call that rings and fails (the reason on its page and in the live list), lists
 * a dial another system placed while it rings and once it failed (told by the gateway's stream, not asked for), finds a
 * failed dial in history by its outcome (its page saying it did not connect), and tells keypad tones, a refused transfer
 * and a transfer that went through in words. From a call's page it makes the agent say words, changes its instructions
 * (the model then asked with them), interrupts it mid-sentence on a LiveKit call (its line marked interrupted) and hangs up
 * at once without a goodbye; history narrows by number, end reason, agent and time, and downloads a transcript as text
 * and WebVTT. It takes screenshots of the main pages into
 * target/console-screenshots; with -Dconsole.screenshots=update also into docs/console for the README.
 */
@ExtendWith(PackagedStack.Resolver.class)
class ConsoleEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** A word no other end-to-end test says, so history finds this call by it. */
    private static final String WORD = "tangerine";
    private static PackagedStack packaged;
    private static ChromeDriver browser;
    @TempDir
    static Path downloads;

    /** The history test's first calls, made before any test (see {@link HistoryCalls}). */
    private static HistoryCalls historyCalls;

    @BeforeAll
    static void openBrowser(PackagedStack shared) throws IOException {
        packaged = shared;
        browser = HeadlessChromium.start(downloads);
        historyCalls = HistoryCalls.make();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private static String gateway() {
        return packaged.url("context-gateway");
    }

    private static WebDriverWait waiting() {
        return new WebDriverWait(browser, WAIT, Duration.ofMillis(50));
    }

    private static WebElement visible(By what) {
        return waiting().until(ExpectedConditions.visibilityOfElementLocated(what));
    }

    private static void textAppears(By where, String text) {
        waiting().withMessage(() -> "\"" + text + "\" in " + where + "; the page says: " + browser.findElement(By.tagName("main")).getText())
                .until(ExpectedConditions.textToBePresentInElementLocated(where, text));
    }

    private static String token() {
        return packaged.bearer().substring("Bearer ".length());
    }

    private static String heldToken() {
        return browser.getCurrentUrl().startsWith(gateway()) ? (String) script("return sessionStorage.getItem('switchboard.console.token')") : null;
    }

    /** Opens the sign-in link of the token; a tab that holds another token asks before it switches, and is told to. */
    private static void signInByLink(String token) {
        String held = heldToken();
        browser.get(gateway() + "/console/#token=" + token);
        if (held != null && !held.equals(token)) {
            textAppears(By.cssSelector("main h1"), "Switch token?");
            browser.findElement(By.xpath("//button[normalize-space()='Switch']")).click();
        }
    }

    @Test
    void aLinkThatWouldSignTheTabInAsSomeoneElseAsksFirst() {
        String mine = token(); // a new token at each call
        signInByLink(mine);
        textAppears(By.cssSelector("main h1"), "Live calls");
        waiting().until(d -> !d.findElement(By.id("who")).getText().isEmpty());
        String who = browser.findElement(By.id("who")).getText();
        String other = LocalAuth.ensure(packaged.settings.stateDirectory()).sign("stack-someone-else", "default",
                java.util.List.of("calls:read"), Duration.ofHours(1));

        // Anyone can send a link: the tab keeps its token until the person says otherwise.
        browser.get(gateway() + "/console/#token=" + other);
        textAppears(By.cssSelector("main h1"), "Switch token?");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("signs this tab in as stack-someone-else", "in place of " + who);
        assertThat(browser.getCurrentUrl()).doesNotContain("token");
        assertThat(heldToken()).isEqualTo(mine);
        WebElement stay = browser.findElement(By.xpath("//button[normalize-space()='Stay signed in as " + who + "']"));
        assertThat(browser.switchTo().activeElement()).as("staying is the default").isEqualTo(stay);
        stay.click();
        textAppears(By.cssSelector("main h1"), "Live calls");
        assertThat(heldToken()).isEqualTo(mine);
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo(who);

        // Asked for, the switch is made.
        signInByLink(other);
        textAppears(By.id("who"), "stack-someone-else");
        assertThat(heldToken()).isEqualTo(other);
        signInByLink(mine); // the next test signs in as before
        textAppears(By.id("who"), who);
    }

    @Test
    void aCallIsWatchedSteeredHungUpAndFoundInHistory() throws Exception {
        var llm = new FakeLlmControl(packaged.llm.baseUrl());
        llm.reset();
        llm.replyText("Let me check on that order.");
        llm.replyText("Good news: your tangerine blender ships tomorrow.");
        String room = "console-" + System.nanoTime();
        String worker = packaged.url("agent-worker");

        // Signed in by the link: the token leaves the address at once and stays in the tab's session storage.
        String token = token();
        signInByLink(token);
        textAppears(By.cssSelector("main h1"), "Live calls");
        waiting().until(d -> d.getCurrentUrl().endsWith("/console/#/live"));
        assertThat(browser.getCurrentUrl()).doesNotContain("token");
        assertThat((String) ((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('switchboard.console.token')"))
                .isEqualTo(token);
        textAppears(By.cssSelector("main .status"), "Live: updates as calls start and end.");

        // A call starts: it appears in the live list without a reload.
        given().contentType(ContentType.JSON).body(Map.of("room", room, "callerNumber", "+15550123"))
                .post(worker + "/v1/simulated-calls").then().statusCode(201);
        By row = By.cssSelector("#live-calls tr[data-room='" + room + "']");
        visible(row);
        assertThat(browser.findElement(row).getText()).contains(room, "inbound", "+15550123", "LIVE");
        // For the screenshot, an outbound call ringing beside it (the fake LiveKit rings, then the line is busy).
        String ringing = "+1555021" + String.format("%04d", System.nanoTime() % 10_000);
        packaged.livekitApi.dialOutcome(ringing, new DialOutcome.Reject(486, "Busy Here", Duration.ofSeconds(20)));
        String dialled = given().contentType(ContentType.JSON).body(Map.of("to", ringing, "trunkId", FakeLiveKitServer.DEFAULT_OUTBOUND_TRUNK))
                .post(gateway() + "/v1/calls").then().statusCode(202).extract().jsonPath().getString("room");
        textAppears(By.cssSelector("#live-calls tr[data-room='" + dialled + "']"), "DIALING");
        screenshot("live-calls");
        assertReflowsAtDoubleZoom();

        // Its page: a line the caller says shows up within a second.
        browser.findElement(By.linkText(room)).click();
        textAppears(By.id("call-state"), "Live");
        textAppears(By.cssSelector(".transcript-panel .status"), "appear as they are said");
        long said = System.nanoTime();
        CompletableFuture<Void> utterance = CompletableFuture.runAsync(() -> given().contentType(ContentType.JSON)
                .body(Map.of("text", "Hi, I ordered a " + WORD + " blender")).post(worker + "/v1/simulated-calls/" + room + "/utterances")
                .then().statusCode(200));
        new WebDriverWait(browser, Duration.ofSeconds(5), Duration.ofMillis(10))
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("transcript"), "Caller: Hi, I ordered a " + WORD + " blender"));
        long shownAfterMs = (System.nanoTime() - said) / 1_000_000;
        System.out.printf("[console] the caller's line was on the call page %d ms after it was said%n", shownAfterMs);
        assertThat(shownAfterMs).as("ms from the caller speaking to the line on the page").isLessThan(1000);
        utterance.get();
        textAppears(By.id("transcript"), "Agent: Let me check on that order.");
        assertThat(browser.findElement(By.cssSelector("#transcript li[data-role='USER']")).getAttribute("class")).contains("user");

        // Inject context, the agent answering at once: APPLIED, and the injected line in the transcript.
        WebElement inject = browser.findElement(By.cssSelector("form[aria-label='Inject context']"));
        inject.findElement(By.name("text")).sendKeys("Order 1042 ships tomorrow with UPS.");
        inject.findElement(By.name("respond")).click();
        inject.findElement(By.cssSelector("button[type='submit']")).click();
        waiting().until(ExpectedConditions.textToBePresentInElement(inject.findElement(By.tagName("output")), "APPLIED"));
        textAppears(By.cssSelector("#transcript li[data-role='INJECTED']"), "Order 1042 ships tomorrow with UPS.");
        textAppears(By.id("transcript"), "Agent: Good news: your " + WORD + " blender ships tomorrow.");
        textAppears(By.id("commands"), "InjectContext");
        assertThat(browser.findElement(By.id("commands")).getText()).contains("APPLIED");
        assertThat(browser.findElement(By.id("events")).getText()).contains("Session started", "INBOUND SIMULATED call from +15550123");
        screenshot("call");
        // 200 % zoom on a laptop screen is a viewport half as wide and high: the page reflows instead of scrolling sideways.
        assertReflowsAtDoubleZoom();

        // Hang up with the goodbye the form offers (the CLI's): said, APPLIED, and the call ends with its reason.
        WebElement hangup = browser.findElement(By.cssSelector("form[aria-label='Hang up']"));
        assertThat(hangup.findElement(By.name("goodbye")).getAttribute("value")).isEqualTo("Thank you for calling. Goodbye!");
        hangup.findElement(By.cssSelector("button[type='submit']")).click();
        waiting().until(ExpectedConditions.textToBePresentInElement(hangup.findElement(By.tagName("output")), "APPLIED"));
        textAppears(By.id("transcript"), "Thank you for calling. Goodbye!");
        textAppears(By.id("call-state"), "Ended: OPERATOR_HANGUP");
        textAppears(By.id("events"), "Session ended");
        assertThat(browser.findElement(By.id("events")).getText()).contains("OPERATOR_HANGUP");
        // A command for the ended call is refused in words, not sent.
        assertThat(hangup.findElement(By.cssSelector("button[type='submit']")).isEnabled()).isFalse();

        // History: found by a word the caller said, the word highlighted; its SRT downloaded.
        browser.findElement(By.linkText("History")).click();
        WebElement words = visible(By.name("q"));
        words.sendKeys(WORD);
        words.submit();
        By hit = By.cssSelector("#hits a[href*='" + room + "']");
        visible(hit);
        assertThat(browser.findElements(By.cssSelector("#hits mark")).stream().map(WebElement::getText)).contains(WORD);
        screenshot("history");
        browser.findElement(hit).click();
        textAppears(By.id("transcript"), "Caller: Hi, I ordered a " + WORD + " blender");
        browser.findElement(By.cssSelector("button[data-format='srt']")).click();
        Path srt = downloads.resolve(room + ".srt");
        waiting().withMessage("the SRT download " + srt).until(d -> Files.exists(srt));
        assertThat(Files.readString(srt)).containsPattern("(?m)\\A1\\n\\d\\d:\\d\\d:\\d\\d,\\d{3} --> \\d\\d:\\d\\d:\\d\\d,\\d{3}\\nCaller: Hi, I ordered a "
                + WORD + " blender\\n\\n2\\n");

        // Deleting asks first (Cancel is the default); confirmed, the call's transcript is gone.
        By delete = By.xpath("//button[normalize-space()='Delete this call…']");
        browser.findElement(delete).click();
        WebElement dialog = visible(By.cssSelector("dialog.confirm"));
        assertThat(dialog.getText()).contains("Delete the call " + room + "?", "cannot be undone");
        assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Cancel");
        dialog.findElement(By.cssSelector("button[value='cancel']")).click();
        given().get(packaged.url("transcript-service") + "/v1/sessions/" + room + "/transcript").then().statusCode(200);
        browser.findElement(delete).click();
        visible(By.cssSelector("dialog.confirm")).findElement(By.cssSelector("button[value='delete']")).click();
        waiting().until(d -> d.getCurrentUrl().endsWith("#/history"));
        given().get(packaged.url("transcript-service") + "/v1/sessions/" + room + "/transcript").then().statusCode(404);
    }

    @Test
    void thePagesLoadWithoutAnErrorInTheBrowsersConsole(@TempDir Path elsewhere) {
        // A browser of its own: one that asked for the console's icon before (in another test) would not ask again.
        ChromeDriver fresh = HeadlessChromium.start(elsewhere);
        try {
            WebDriverWait waiting = new WebDriverWait(fresh, WAIT, Duration.ofMillis(50));
            fresh.get(gateway() + "/console/#token=" + token());
            for (String page : List.of("live", "history", "place")) {
                // Loaded afresh, as a bookmark or a reload does.
                fresh.get(gateway() + "/console/#/" + page);
                fresh.navigate().refresh();
                waiting.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("main h1"),
                        Map.of("live", "Live calls", "history", "History", "place", "Place a call").get(page)));
                if (!"place".equals(page)) { // the live stream open, the history's first page listed
                    waiting.until(d -> d.findElement(By.cssSelector("main .status")).getText().matches("(?!Connecting|Loading).+"));
                }
                fresh.executeAsyncScript("setTimeout(arguments[arguments.length - 1], 500)");
                List<String> errors = fresh.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue()).map(LogEntry::getMessage).toList();
                assertThat(errors).as("the browser console's warnings and errors on the page #/" + page).isEmpty();
            }
        } finally {
            fresh.quit();
        }
    }

    @Test
    void aLinkInTheLiveListKeepsTheKeyboardFocusWhileOtherCallsStartAndEnd() {
        String worker = packaged.url("agent-worker");
        signInByLink(token());
        textAppears(By.cssSelector("main h1"), "Live calls");
        textAppears(By.cssSelector("main .status"), "Live: updates as calls start and end.");
        String watched = "focus-" + System.nanoTime();
        String other = "focus-other-" + System.nanoTime();
        given().contentType(ContentType.JSON).body(Map.of("room", watched)).post(worker + "/v1/simulated-calls").then().statusCode(201);
        WebElement link = visible(By.cssSelector("#live-calls tr[data-room='" + watched + "'] a"));
        script("arguments[0].focus()", link);
        assertFocusOn(link, "the watched call's link, focused");

        // The list changes around the focused link: another call starts, then ends.
        given().contentType(ContentType.JSON).body(Map.of("room", other)).post(worker + "/v1/simulated-calls").then().statusCode(201);
        visible(By.cssSelector("#live-calls tr[data-room='" + other + "']"));
        assertFocusOn(link, "the watched call's link after another call started");
        given().delete(worker + "/v1/simulated-calls/" + other).then().statusCode(204);
        visible(By.cssSelector("#ended-calls tr[data-room='" + other + "']"));
        assertFocusOn(link, "the watched call's link after another call ended");

        // The watched call itself ends: its row moves to the recently ended calls, the link still focused.
        given().delete(worker + "/v1/simulated-calls/" + watched).then().statusCode(204);
        visible(By.cssSelector("#ended-calls tr[data-room='" + watched + "'] a"));
        assertFocusOn(link, "the watched call's link after its call ended");

        // Enter opens the call's page, and the focus goes to its heading (a screen reader reads where it landed).
        link.sendKeys(Keys.ENTER);
        textAppears(By.cssSelector("main h1"), "Call " + watched);
        waiting().withMessage("the focus on the call page's heading").until(d -> isFocused(By.cssSelector("main h1")));
    }

    @Test
    void theSkipLinkMovesTheFocusToTheContentAndStaysOnThePage() {
        signInByLink(token());
        textAppears(By.cssSelector("main h1"), "Live calls");
        browser.findElement(By.linkText("History")).click();
        textAppears(By.cssSelector("main h1"), "History");
        WebElement heading = browser.findElement(By.cssSelector("main h1"));
        WebElement words = visible(By.name("q"));

        // Enter on the skip link (the first link of the page) skips the header and leaves the page as it was.
        script("document.querySelector('a.skip').focus()");
        WebElement skip = browser.switchTo().activeElement();
        assertThat(skip.getText()).isEqualTo("Skip to content");
        assertThat(skip.isDisplayed()).as("the focused skip link is on screen").isTrue();
        skip.sendKeys(Keys.ENTER);
        waiting().withMessage("the focus in main after the skip link")
                .until(d -> (Boolean) script("return document.getElementById('main').contains(document.activeElement)"));
        // Whatever a router did on the link's hashchange it has done by now: the tasks queued before this one have run.
        ((JavascriptExecutor) browser).executeAsyncScript("setTimeout(arguments[arguments.length - 1], 200)");
        assertThat(browser.getCurrentUrl()).endsWith("/console/#/history");
        assertThat(browser.findElement(By.cssSelector("main h1")).getText()).isEqualTo("History");
        assertThat((Boolean) script("return arguments[0].isConnected && arguments[1].isConnected", heading, words))
                .as("the History page's heading and search field are the ones shown before (not a page built again)").isTrue();
        assertThat((Boolean) script("return document.getElementById('main').contains(document.activeElement)")).isTrue();

        // A page change by keyboard puts the focus on the new page's heading.
        WebElement live = browser.findElement(By.linkText("Live calls"));
        script("arguments[0].focus()", live);
        live.sendKeys(Keys.ENTER);
        textAppears(By.cssSelector("main h1"), "Live calls");
        waiting().withMessage("the focus on the live page's heading").until(d -> isFocused(By.cssSelector("main h1")));
    }

    @Test
    void anExpiredTokenIsToldInWordsAndTheConsoleAsksForAnother() {
        String expired = LocalAuth.ensure(packaged.settings.stateDirectory()).sign("stack-test", "default", LocalAuth.ALL_SCOPES,
                Duration.ofMinutes(-5));
        signInByLink(expired);
        textAppears(By.tagName("main"), "Your token has expired. Sign in with a new one.");
        WebElement field = visible(By.id("token"));
        assertThat(browser.findElement(By.cssSelector("label[for='token']")).getText()).isEqualTo("Token");
        assertThat(browser.switchTo().activeElement()).as("the sign-in field has the focus").isEqualTo(field);
        field.sendKeys(token());
        field.submit();
        visible(By.cssSelector("main h1"));
        textAppears(By.cssSelector("main h1"), "Live calls");
    }

    @Test
    void aTokenThatExpiresWhileTheConsoleIsOpenEndsItsStreamsAndTheConsoleAsksForAnother() {
        String shortLived = LocalAuth.ensure(packaged.settings.stateDirectory()).sign("stack-test", "default", LocalAuth.ALL_SCOPES,
                Duration.ofSeconds(5));
        signInByLink(shortLived);
        textAppears(By.cssSelector("main h1"), "Live calls");
        // The gateway ends the live stream at the token's expiry with an event 'expired'; nothing else is asked of it.
        textAppears(By.tagName("main"), "Your token has expired. Sign in with a new one.");
        visible(By.id("token"));
    }

    @Test
    void aMissingScopeAndAnUnconfiguredDialAreToldInWords() {
        String watcher = LocalAuth.ensure(packaged.settings.stateDirectory()).sign("stack-watcher", "default",
                java.util.List.of("calls:read", "calls:dial"), Duration.ofHours(1));
        signInByLink(watcher);
        textAppears(By.cssSelector("main h1"), "Live calls");
        // A call's page shows the call; its transcript, which the token may not read, says so in the API's words.
        browser.get(gateway() + "/console/#/call/scope-" + System.nanoTime());
        textAppears(By.cssSelector(".transcript-panel .status"), "Your token may not do this: it needs the scope transcripts:read.");
        assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain("{", "urn:switchboard");

        browser.findElement(By.linkText("Place a call")).click();
        WebElement number = visible(By.name("to"));
        number.sendKeys("+15551234567");
        number.submit();
        textAppears(By.tagName("main"), "Outbound calls are not set up here");
        signInByLink(token()); // the next test signs in as before
    }

    @Test
    void pagesATokenMayNotOpenAreNotOfferedAndTheirAddressesSayWhichScopeIsMissing() {
        String reader = LocalAuth.ensure(packaged.settings.stateDirectory()).sign("stack-reader", "default",
                java.util.List.of("calls:read"), Duration.ofHours(1));
        signInByLink(reader);
        textAppears(By.cssSelector("main h1"), "Live calls");
        textAppears(By.cssSelector("main .status"), "Live: updates as calls start and end.");
        assertThat(browser.findElement(By.cssSelector("[data-nav='live']")).isDisplayed()).as("Live calls, with calls:read").isTrue();
        assertThat(browser.findElement(By.cssSelector("[data-nav='history']")).isDisplayed()).as("History, without transcripts:read").isFalse();
        assertThat(browser.findElement(By.cssSelector("[data-nav='place']")).isDisplayed()).as("Place a call, without calls:dial").isFalse();

        // Opened by their addresses, the pages say what the token lacks and offer no form it could not use.
        browser.get(gateway() + "/console/#/place");
        textAppears(By.id("missing-scope"), "Your token may not place calls: it needs the scope calls:dial.");
        assertThat(browser.findElement(By.cssSelector("main h1")).getText()).isEqualTo("Place a call");
        assertThat(browser.findElements(By.cssSelector("main form, main input, main button"))).as("a form on the Place a call page").isEmpty();

        browser.get(gateway() + "/console/#/history");
        textAppears(By.id("missing-scope"), "Your token may not read past calls: it needs the scope transcripts:read.");
        assertThat(browser.findElements(By.cssSelector("main form, main input"))).as("a form on the History page").isEmpty();
        script("document.getElementById('missing-scope').remove()"); // so that the next page's words are its own
        browser.get(gateway() + "/console/#/history/some-room");
        textAppears(By.id("missing-scope"), "Your token may not read past calls: it needs the scope transcripts:read.");
        assertThat(browser.findElement(By.cssSelector("main h1")).getText()).isEqualTo("History");
        assertThat(browser.findElements(By.cssSelector("main button"))).as("downloads or a deletion of a stored call").isEmpty();
        signInByLink(token()); // the next test signs in as before
    }

    @Test
    void historyPagesThroughMoreCallsThanOnePageHolds() {
        String worker = packaged.url("agent-worker");
        // Three stored calls of one caller, and a page size of one: three pages.
        String number = "+1555017" + String.format("%04d", System.nanoTime() % 10_000);
        List<String> rooms = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String room = "paging-" + i + "-" + System.nanoTime();
            given().contentType(ContentType.JSON).body(Map.of("room", room, "callerNumber", number))
                    .post(worker + "/v1/simulated-calls").then().statusCode(201);
            given().delete(worker + "/v1/simulated-calls/" + room).then().statusCode(204);
            rooms.add(room);
        }
        String transcripts = packaged.url("transcript-service");
        waiting().withMessage("the transcript service storing the three calls of " + number)
                .until(d -> given().urlEncodingEnabled(false).get(transcripts + "/v1/sessions?phone=" + URLEncoder.encode(number, StandardCharsets.UTF_8))
                        .jsonPath().getList("sessions").size() == 3);

        signInByLink(token());
        textAppears(By.cssSelector("main h1"), "Live calls");
        browser.get(gateway() + "/console/#/history?phone=" + URLEncoder.encode(number, StandardCharsets.UTF_8) + "&limit=1");
        By rows = By.cssSelector("#history tbody tr");
        textAppears(By.id("history-status"), "1 call shown; there are more.");
        assertThat(browser.findElements(rows)).hasSize(1);
        // Every column tells something of every call: none waits for a field the list does not carry. The local admin's
        // token sees every tenant (tenants:all), so the list says whose each call is.
        assertThat(browser.findElements(By.cssSelector("#history thead th")).stream().map(WebElement::getText))
                .containsExactly("Room", "Tenant", "Started", "Direction", "Caller", "Callee", "Agent", "Duration", "Ended");
        List<String> cells = browser.findElements(By.cssSelector("#history tbody td")).stream().map(WebElement::getText).toList();
        assertThat(cells).hasSize(9).allSatisfy(text -> assertThat(text).as("a cell of a listed call").isNotBlank());
        assertThat(cells.get(1)).as("the call's tenant").isEqualTo("default");
        WebElement status = browser.findElement(By.id("history-status"));
        assertThat(status.getAttribute("role")).as("the count is told politely (a status)").isEqualTo("status");
        WebElement more = browser.findElement(By.id("history-more"));
        assertThat(more.getTagName()).isEqualTo("button");
        assertThat(more.getText()).isEqualTo("Load more");

        // By keyboard: Enter on the button adds the next page below; the focus stays on the button while there are more.
        script("arguments[0].focus()", more);
        more.sendKeys(Keys.ENTER);
        textAppears(By.id("history-status"), "2 calls shown; there are more.");
        assertThat(browser.findElements(rows)).hasSize(2);
        assertFocusOn(more, "Load more, after the second page");

        // The last page: the button goes, and the focus goes on to the row it brought.
        more.sendKeys(Keys.ENTER);
        textAppears(By.id("history-status"), "3 calls shown: that is all.");
        assertThat(more.isDisplayed()).as("Load more once there is no next page").isFalse();
        List<String> listed = browser.findElements(rows).stream().map(row -> row.getAttribute("data-room")).toList();
        assertThat(listed).as("every call once, none twice").containsExactlyInAnyOrderElementsOf(rooms);
        WebElement lastLink = browser.findElement(By.cssSelector("#history tbody tr:last-child a"));
        assertFocusOn(lastLink, "the link of the row the last page brought");
    }

    /** Places a call to the number from the console's form (the fake LiveKit's trunk); returns its room, on its page while it rings. */
    private static String placeACall(String number) {
        signInByLink(token());
        textAppears(By.cssSelector("main h1"), "Live calls");
        browser.findElement(By.linkText("Place a call")).click();
        WebElement to = visible(By.name("to"));
        to.sendKeys(number);
        browser.findElement(By.name("trunkId")).sendKeys(FakeLiveKitServer.DEFAULT_OUTBOUND_TRUNK);
        to.submit();
        textAppears(By.id("call-state"), "Dialling " + number);
        String room = browser.findElement(By.cssSelector("main h1 .room")).getText();
        assertThat(room).isNotBlank();
        return room;
    }

    @Test
    void aPlacedCallShowsItsDialAndTheReasonItFailedOnItsPageAndInTheLiveList() {
        // The fake LiveKit rings this number until the live list has shown it ringing, then the line is busy (SIP 486).
        String number = "+1555018" + String.format("%04d", System.nanoTime() % 10_000);
        CompletableFuture<Void> busy = new CompletableFuture<>();
        packaged.livekitApi.dialOutcome(number, DialOutcome.busyWhenReleased(busy));
        String room = placeACall(number);

        // The live list shows it ringing, then among the ended calls with the reason.
        browser.findElement(By.linkText("← Live calls")).click();
        textAppears(By.cssSelector("#live-calls tr[data-room='" + room + "']"), "DIALING");
        busy.complete(null);
        By failed = By.cssSelector("#ended-calls tr[data-room='" + room + "']");
        textAppears(failed, "FAILED Busy (SIP 486 Busy Here)");
        assertThat(browser.findElement(failed).getText()).contains("outbound", number);

        // Its page says why it failed, not that it is still dialling, and takes no commands.
        browser.findElement(failed).findElement(By.tagName("a")).click();
        textAppears(By.id("call-state"), "Dial failed: Busy (SIP 486 Busy Here)");
        assertThat(browser.findElement(By.id("call-facts")).getText()).contains("Why the dial failed");
        textAppears(By.cssSelector(".transcript-panel .status"), "No transcript: the call did not connect.");
        WebElement hangup = browser.findElement(By.cssSelector("form[aria-label='Hang up'] button[type='submit']"));
        assertThat(hangup.isEnabled()).as("hang up, on a call that never connected").isFalse();
        var call = given().get(gateway() + "/v1/calls/" + room).then().statusCode(200).extract().jsonPath();
        assertThat(call.getString("state")).isEqualTo("FAILED");
        assertThat(call.getInt("failure.sipStatusCode")).isEqualTo(486);
    }

    @Test
    void aRingingCallIsCancelledFromItsPageWhichOffersNothingElseWhileItRings() {
        // The fake LiveKit would ring this number for half a minute before anyone answered.
        String number = "+1555017" + String.format("%04d", System.nanoTime() % 10_000);
        packaged.livekitApi.dialOutcome(number, DialOutcome.answerAfter(Duration.ofSeconds(30)));
        String room = placeACall(number);
        textAppears(By.id("controls-closed"), "hanging up cancels the call");
        assertThat(browser.findElement(By.cssSelector("form[aria-label='Say']")).isDisplayed()).as("no agent to speak yet").isFalse();
        WebElement hangup = visible(By.cssSelector("form[aria-label='Hang up'] button[type='submit']"));
        assertThat(hangup.isEnabled()).isTrue();
        // At once: the call controller may not have started dialling yet, and the hang-up cancels the dial all the same.
        hangup.click();

        textAppears(By.id("call-state"), "Dial failed: Cancelled");
        var call = given().get(gateway() + "/v1/calls/" + room).then().statusCode(200).extract().jsonPath();
        assertThat(call.getString("state")).isEqualTo("FAILED");
        assertThat(call.getString("failure.reason")).isEqualTo("CANCELLED");
        assertThat(packaged.livekitApi.requests(FakeLiveKitServer.DELETE_ROOM, room)).as("LiveKit cancels the INVITE with the room").isNotEmpty();
    }

    @Test
    void aDialAnotherSystemPlacedShowsInTheLiveListWhileItRingsAndWithTheReasonItFailed() {
        // Placed through the API, not this browser: the fake LiveKit rings for a while, then the line is busy (SIP 486).
        String number = "+1555019" + String.format("%04d", System.nanoTime() % 10_000);
        packaged.livekitApi.dialOutcome(number, new DialOutcome.Reject(486, "Busy Here", Duration.ofSeconds(12)));
        signInByLink(token());
        textAppears(By.cssSelector("main h1"), "Live calls");
        textAppears(By.cssSelector("main .status"), "Live: updates as calls start and end.");
        String room = given().contentType(ContentType.JSON).body(Map.of("to", number, "trunkId", FakeLiveKitServer.DEFAULT_OUTBOUND_TRUNK))
                .post(gateway() + "/v1/calls").then().statusCode(202).extract().jsonPath().getString("room");

        By ringing = By.cssSelector("#live-calls tr[data-room='" + room + "']");
        textAppears(ringing, "DIALING");
        assertThat(browser.findElement(ringing).getText()).contains("outbound", number);

        // The gateway's stream tells of the dial: the page asks for no list of calls while it rings, and none once it failed.
        script("performance.setResourceTimingBufferSize(10000); performance.clearResourceTimings()");
        By failed = By.cssSelector("#ended-calls tr[data-room='" + room + "']");
        textAppears(failed, "FAILED Busy (SIP 486 Busy Here)");
        assertThat(browser.findElement(failed).getText()).contains("outbound", number);
        assertThat(browser.findElements(ringing)).isEmpty();
        assertThat(callRequests()).as("GET /v1/calls asked while the dial rang and failed").isZero();
    }

    @Test
    void aDialThatFailedWithoutASipStatusSaysWhyInTheLiveList() {
        // A trunk LiveKit does not know: it refuses the call (404) before anything rings, so there is no SIP status.
        String number = "+1555016" + String.format("%04d", System.nanoTime() % 10_000);
        signInByLink(token());
        textAppears(By.cssSelector("main h1"), "Live calls");
        textAppears(By.cssSelector("main .status"), "Live: updates as calls start and end.");
        String room = given().contentType(ContentType.JSON).body(Map.of("to", number, "trunkId", "ST_unknown_to_livekit"))
                .post(gateway() + "/v1/calls").then().statusCode(202).extract().jsonPath().getString("room");

        // The state, then the call controller's words for why, not the catch-all reason FAILED said twice.
        By failed = By.cssSelector("#ended-calls tr[data-room='" + room + "']");
        textAppears(failed, "FAILED LiveKit refused");
        String state = browser.findElement(failed).findElement(By.cssSelector("td:last-child")).getText();
        assertThat(state).doesNotContain("Failed").doesNotContain("no reason given");
        var call = given().get(gateway() + "/v1/calls/" + room).then().statusCode(200).extract().jsonPath();
        assertThat(call.getString("failure.reason")).isEqualTo("FAILED");
        assertThat(call.getString("failure.sipStatusCode")).isNull();

        // Its page says the same.
        browser.findElement(failed).findElement(By.tagName("a")).click();
        textAppears(By.id("call-state"), "Dial failed: LiveKit refused");
        assertThat(browser.findElement(By.id("call-state")).getText()).doesNotContain("Failed");
    }

    /** How many GET /v1/calls requests the page made since the resource timings were last cleared. */
    private static long callRequests() {
        return ((Number) script("return performance.getEntriesByType('resource').filter((e) => e.name.includes('/v1/calls')).length")).longValue();
    }

    @Test
    void historyFindsAFailedDialByItsOutcomeAndItsPageSaysItDidNotConnect() {
        // A busy line, dialled through the gateway's API: the transcript service stores the failed dial as a call of its own.
        String number = "+1555020" + String.format("%04d", System.nanoTime() % 10_000);
        packaged.livekitApi.dialOutcome(number, new DialOutcome.Reject(486, "Busy Here", Duration.ZERO));
        String room = given().contentType(ContentType.JSON).body(Map.of("to", number, "trunkId", FakeLiveKitServer.DEFAULT_OUTBOUND_TRUNK))
                .post(gateway() + "/v1/calls?wait=20s").then().statusCode(200).extract().jsonPath().getString("room");
        String transcripts = packaged.url("transcript-service");
        waiting().withMessage("the transcript service storing the failed dial of room " + room)
                .until(d -> given().get(transcripts + "/v1/sessions?outcome=BUSY&room=" + room).jsonPath().getList("sessions").size() == 1);

        // History, filtered by the outcome "Busy": the failed dial, with its reason where an end reason would be.
        signInByLink(token());
        textAppears(By.cssSelector("main h1"), "Live calls");
        browser.findElement(By.linkText("History")).click();
        WebElement outcome = visible(By.name("outcome"));
        assertThat(browser.findElement(By.cssSelector("label[for='" + outcome.getAttribute("id") + "']")).getText()).isEqualTo("Outcome");
        new Select(outcome).selectByVisibleText("Busy");
        outcome.submit();
        waiting().until(d -> d.getCurrentUrl().contains("outcome=BUSY"));
        By row = By.cssSelector("#history tr[data-room='" + room + "']");
        textAppears(row, "Did not connect: Busy (SIP 486 Busy Here)");
        assertThat(browser.findElement(row).getText()).contains("outbound", number);
        assertThat(browser.findElements(By.cssSelector("#history tbody tr")).stream().map(WebElement::getText))
                .as("only busy lines").allSatisfy(text -> assertThat(text).contains("Did not connect: Busy"));
        assertThat(new Select(browser.findElement(By.name("outcome"))).getFirstSelectedOption().getText()).isEqualTo("Busy");

        // Its page says the call did not connect, and why, instead of showing an empty transcript.
        browser.findElement(row).findElement(By.tagName("a")).click();
        textAppears(By.id("transcript-note"), "The call did not connect: Busy (SIP 486 Busy Here).");
        String facts = browser.findElement(By.id("stored-facts")).getText();
        assertThat(facts).contains("Dial outcome", "Busy (SIP 486 Busy Here)", "Why the dial failed", number);
        assertThat(facts).doesNotContain("Duration");
        assertThat(browser.findElements(By.cssSelector("#transcript li"))).isEmpty();
    }

    @Test
    void keypadTonesAndATransferAreToldInWords() {
        String worker = packaged.url("agent-worker");
        String room = "console-transfer-" + System.nanoTime();
        String caller = "+15550190123";
        // The caller's leg as LiveKit's SIP bridge holds it: what the call controller transfers.
        packaged.livekitApi.room(room, FakeLiveKitServer.sipParticipant("sip_" + caller, caller));
        given().contentType(ContentType.JSON).body(Map.of("room", room, "callerNumber", caller))
                .post(worker + "/v1/simulated-calls").then().statusCode(201);
        signInByLink(token());
        textAppears(By.cssSelector("main h1"), "Live calls");
        browser.get(gateway() + "/console/#/call/" + room);
        textAppears(By.id("call-state"), "Live");

        // The caller presses keys; the agent sends tones from the keypad form.
        given().contentType(ContentType.JSON).body(Map.of("digits", "42#"))
                .post(worker + "/v1/simulated-calls/" + room + "/dtmf").then().statusCode(202);
        textAppears(By.id("events"), "Keypad tones received: caller pressed 42#");
        browser.findElement(By.xpath("//summary[normalize-space()='Keypad tones']")).click();
        WebElement keypad = browser.findElement(By.cssSelector("form[aria-label='Keypad tones']"));
        keypad.findElement(By.name("digits")).sendKeys("9#");
        keypad.findElement(By.cssSelector("button[type='submit']")).click();
        waiting().until(ExpectedConditions.textToBePresentInElement(keypad.findElement(By.tagName("output")), "APPLIED"));
        textAppears(By.id("events"), "Keypad tones sent: agent sent the tones 9#");

        // A transfer the destination refuses: the call goes on, and its events say where to and why not.
        String busyDesk = "tel:+1555019" + String.format("%04d", System.nanoTime() % 10_000);
        packaged.livekitApi.refuseTransfersTo(busyDesk, 486, "Busy Here");
        browser.findElement(By.xpath("//summary[normalize-space()='Transfer']")).click();
        WebElement transfer = browser.findElement(By.cssSelector("form[aria-label='Transfer']"));
        WebElement destination = transfer.findElement(By.name("to"));
        destination.sendKeys(busyDesk);
        transfer.findElement(By.cssSelector("button[type='submit']")).click();
        waiting().until(ExpectedConditions.textToBePresentInElement(transfer.findElement(By.tagName("output")), "REJECTED"));
        textAppears(By.id("events"), "Transfer to " + busyDesk + " refused: Busy (SIP 486 Busy Here)");
        assertThat(browser.findElement(By.cssSelector("#events li[data-type='TransferFailed'] .tag")).getText()).isEqualTo("transfer");
        assertThat(browser.findElement(By.id("call-state")).getText()).isEqualTo("Live");

        // A transfer that goes through: the call ends as one, and the page says where the caller went.
        destination.clear();
        destination.sendKeys("tel:+15550190199");
        transfer.findElement(By.name("announcement")).sendKeys("Connecting you to billing.");
        transfer.findElement(By.cssSelector("button[type='submit']")).click();
        waiting().until(ExpectedConditions.textToBePresentInElement(transfer.findElement(By.tagName("output")), "APPLIED"));
        textAppears(By.id("events"), "Call transferred to tel:+15550190199: TRANSFERRED");
        textAppears(By.id("call-state"), "Ended: TRANSFERRED (the caller was handed over to tel:+15550190199)");
        assertThat(browser.findElement(By.cssSelector("#events li[data-type='CallEnded'] .tag")).getText()).isEqualTo("transfer");
        textAppears(By.id("commands"), "TransferCall");
    }

    @Test
    void sayAndNewInstructionsFromTheCallPageReachTheAgent() {
        var llm = new FakeLlmControl(packaged.llm.baseUrl());
        llm.reset();
        String worker = packaged.url("agent-worker");
        String room = "console-say-" + System.nanoTime();
        given().contentType(ContentType.JSON).body(Map.of("room", room, "instructions", "You are the Acme support agent."))
                .post(worker + "/v1/simulated-calls").then().statusCode(201);
        signInByLink(token());
        textAppears(By.cssSelector("main h1"), "Live calls");
        browser.get(gateway() + "/console/#/call/" + room);
        textAppears(By.id("call-state"), "Live");

        // Say: APPLIED once said; the agent's line in the transcript, and on the worker's call what it said.
        WebElement say = controlForm("Say");
        say.findElement(By.name("say")).sendKeys("Your parcel is at the depot.");
        say.findElement(By.cssSelector("button[type='submit']")).click();
        awaitOutcome(say, "APPLIED");
        textAppears(By.cssSelector("#transcript li[data-role='AGENT']"), "Agent: Your parcel is at the depot.");
        assertThat(given().get(worker + "/v1/simulated-calls/" + room).jsonPath().getList("agentSaid.text", String.class))
                .containsExactly("Your parcel is at the depot.");

        // New instructions, replacing the call's, then extended: each APPLIED and told in the transcript.
        WebElement change = controlForm("Change instructions");
        WebElement instructions = change.findElement(By.name("instructions"));
        instructions.sendKeys("You are the Globex billing agent.");
        change.findElement(By.cssSelector("button[type='submit']")).click();
        awaitOutcome(change, "APPLIED");
        textAppears(By.cssSelector("#transcript li[data-role='SYSTEM']"), "System: Instructions replaced: You are the Globex billing agent.");
        instructions.clear();
        instructions.sendKeys("Always name the invoice number.");
        new Select(change.findElement(By.name("mode"))).selectByVisibleText("append");
        change.findElement(By.cssSelector("button[type='submit']")).click();
        waiting().until(d -> browser.findElements(By.cssSelector("#transcript li[data-role='SYSTEM']")).size() == 2);
        awaitOutcome(change, "APPLIED");
        assertThat(browser.findElements(By.cssSelector("#transcript li[data-role='SYSTEM']")).getLast().getText())
                .contains("System: Instructions extended: Always name the invoice number.");
        textAppears(By.id("commands"), "UpdateInstructions");

        // The agent's next turn: the model is asked with the new instructions, and knows what the agent said.
        llm.replyText("Invoice 77 is paid.");
        given().contentType(ContentType.JSON).body(Map.of("text", "Is my bill paid?"))
                .post(worker + "/v1/simulated-calls/" + room + "/utterances").then().statusCode(200);
        List<JsonNode> messages = llm.lastMessages();
        assertThat(messages.getFirst().path("role").asText()).isEqualTo("system");
        assertThat(messages.getFirst().path("content").asText())
                .startsWith("You are the Globex billing agent.\n\nAlways name the invoice number.").doesNotContain("Acme");
        assertThat(messages).anySatisfy(m -> {
            assertThat(m.path("role").asText()).isEqualTo("assistant");
            assertThat(m.path("content").asText()).isEqualTo("Your parcel is at the depot.");
        });
        textAppears(By.id("transcript"), "Agent: Invoice 77 is paid.");
        given().delete(worker + "/v1/simulated-calls/" + room).then().statusCode(204);
    }

    @Test
    void anInterruptFromTheCallPageCutsTheAgentOffAndItsLineIsMarkedInterrupted() throws Exception {
        // A LiveKit call in the fake SFU: the agent's words are spoken (the fake synthesizer takes 60 ms a character), so
        // there is speech to cut off. A simulated call delivers its text whole and at once: nothing is ever interrupted.
        FakeSfuControl sfu = packaged.sfu.control();
        sfu.reset(); // the fake SFU holds one room at a time: this call's
        var llm = new FakeLlmControl(packaged.llm.baseUrl());
        llm.reset();
        llm.replyText("Hello, Acme here."); // the agent opens an inbound call
        String room = "console-interrupt-" + System.nanoTime();
        waiting().until(d -> sfu.agentWorkers().stream().anyMatch(FakeSfuControl.AgentWorker::connected));
        var caller = sfu.joinParticipant(FakeSfuControl.ParticipantSpec.sipCaller("+15550177")
                .withAudio(FakeSfuControl.AudioSpec.silence()), room);
        boolean left = false;
        try {
            signInByLink(token());
            textAppears(By.cssSelector("main h1"), "Live calls");
            browser.get(gateway() + "/console/#/call/" + room);
            textAppears(By.id("call-state"), "Live");
            textAppears(By.id("transcript"), "Agent: Hello, Acme here.");

            // The agent starts on a long Say (some 20 s of speech); once its first sentence was heard, Interrupt.
            String first = "Thank you for waiting.";
            String words = first + " Your order left our warehouse in Springfield this morning on the early truck."
                    + " It should reach the sorting centre tonight and your door by Thursday afternoon at the latest."
                    + " The driver will ring the bell twice, and if nobody answers the parcel goes to the post office on Main Street."
                    + " You can collect it there with your order number.";
            // What the room heard of the greeting, once all of it arrived (the count no longer grows).
            long[] heardBefore = {-1};
            waiting().pollingEvery(Duration.ofMillis(500)).withMessage("the greeting's audio all in")
                    .until(d -> heardBefore[0] == (heardBefore[0] = EndToEndTest.agentAudioMs(sfu)));
            long before = heardBefore[0];
            WebElement say = controlForm("Say");
            say.findElement(By.name("say")).sendKeys(words);
            say.findElement(By.cssSelector("button[type='submit']")).click();
            waiting().withMessage("the agent's first sentence heard in the room")
                    .until(d -> EndToEndTest.agentAudioMs(sfu) - before >= (first.length() + 5) * 60L);
            WebElement interrupt = controlForm("Interrupt");
            interrupt.findElement(By.cssSelector("button[type='submit']")).click();
            awaitOutcome(interrupt, "APPLIED"); // not "APPLIED: nothing was being said"

            // The agent's line holds the words that were heard, and says it was cut off.
            By tag = By.cssSelector("#transcript li[data-role='AGENT'] .tag");
            textAppears(tag, "interrupted");
            WebElement line = browser.findElement(tag).findElement(By.xpath(".."));
            assertThat(browser.findElement(tag).getAttribute("title")).isEqualTo("The caller cut in: only these words were played");
            String heard = line.findElement(By.cssSelector(".text")).getText();
            assertThat(heard).as("what the caller heard of the Say").startsWith(first);
            assertThat(words).as("the words the Say meant").startsWith(heard);
            assertThat(heard.length()).as("characters heard of the " + words.length()).isLessThan(words.length());
            assertThat(line.getText()).startsWith("[").contains("Agent: " + heard).endsWith("interrupted");
            textAppears(By.id("commands"), "Interrupt");
            // The Say stopped before all was said: its form tells so.
            awaitOutcome(say, "REJECTED: not said: say was interrupted");

            sfu.leaveParticipant(caller.identity(), "CLIENT_INITIATED");
            left = true;
            textAppears(By.id("call-state"), "Ended: CALLER_HANGUP");
        } finally {
            if (!left) {
                sfu.leaveParticipant(caller.identity(), "CLIENT_INITIATED");
            }
        }
    }

    @Test
    void hangingUpAtOnceEndsTheCallWithoutAGoodbye() {
        var llm = new FakeLlmControl(packaged.llm.baseUrl());
        llm.reset();
        String worker = packaged.url("agent-worker");
        String room = "console-hangup-now-" + System.nanoTime();
        given().contentType(ContentType.JSON).body(Map.of("room", room, "callerNumber", "+15550178"))
                .post(worker + "/v1/simulated-calls").then().statusCode(201);
        signInByLink(token());
        textAppears(By.cssSelector("main h1"), "Live calls");
        browser.get(gateway() + "/console/#/call/" + room);
        textAppears(By.id("call-state"), "Live");

        // At once: the call controller hangs up (HangupRequested), answered once the call ended.
        WebElement hangup = controlForm("Hang up");
        hangup.findElement(By.name("immediate")).click();
        hangup.findElement(By.cssSelector("button[type='submit']")).click();
        // A simulated call has no room in LiveKit to delete: the controller finds it gone, and the call ends all the same.
        awaitOutcome(hangup, "APPLIED: call ended: OPERATOR_HANGUP (ALREADY_GONE)");
        textAppears(By.id("call-state"), "Ended: OPERATOR_HANGUP");
        textAppears(By.id("commands"), "HangupRequested");
        textAppears(By.id("events"), "Session ended");

        // Nothing was said on the way out: the model was not asked for a goodbye, and the agent said nothing.
        waiting().until(d -> "ENDED".equals(given().get(worker + "/v1/simulated-calls/" + room).jsonPath().getString("state")));
        assertThat(given().get(worker + "/v1/simulated-calls/" + room).jsonPath().getList("agentSaid")).isEmpty();
        assertThat(llm.requests()).as("requests to the model").isEmpty();
        assertThat(browser.findElements(By.cssSelector("#transcript li[data-role='AGENT']"))).isEmpty();
    }

    @Test
    void historyNarrowsByNumberEndReasonAgentAndTimeAndDownloadsTextAndWebVtt() throws Exception {
        String transcripts = packaged.url("transcript-service");
        // Two calls of one number: the caller hangs up one after a question, an operator the other; a third call of another number.
        String number = historyCalls.number();
        String encoded = URLEncoder.encode(number, StandardCharsets.UTF_8);
        String asked = historyCalls.asked();
        String cut = historyCalls.cut();
        String other = historyCalls.other();
        waiting().withMessage("the transcript service storing the ended calls of " + number)
                .until(d -> given().urlEncodingEnabled(false).get(transcripts + "/v1/sessions?status=ended&phone=" + encoded)
                        .jsonPath().getList("sessions").size() == 2
                        && given().get(transcripts + "/v1/sessions?status=ended&room=" + other).jsonPath().getList("sessions").size() == 1);

        // History by number: the two calls of the number, not the other.
        signInByLink(token());
        textAppears(By.cssSelector("main h1"), "Live calls");
        browser.findElement(By.linkText("History")).click();
        WebElement phone = visible(By.name("phone"));
        assertThat(browser.findElement(By.cssSelector("label[for='" + phone.getAttribute("id") + "']")).getText()).isEqualTo("Number");
        phone.sendKeys(number);
        search(phone);
        awaitListed("the calls of " + number, asked, cut);
        assertThat(browser.getCurrentUrl()).contains("phone=" + encoded);

        // And by end reason: the one an operator hung up.
        new Select(visible(By.name("endReason"))).selectByVisibleText("OPERATOR_HANGUP");
        search(browser.findElement(By.name("endReason")));
        awaitListed("the call of " + number + " an operator hung up", cut);
        assertThat(browser.findElement(By.cssSelector("#history tr[data-room='" + cut + "']")).getText()).contains("OPERATOR_HANGUP", number);
        textAppears(By.id("history-status"), "1 call found.");

        // The other's stored page downloads its transcript as text and as WebVTT.
        new Select(visible(By.name("endReason"))).selectByVisibleText("CALLER_HANGUP");
        search(browser.findElement(By.name("endReason")));
        awaitListed("the call of " + number + " its caller hung up", asked);
        browser.findElement(By.cssSelector("#history tr[data-room='" + asked + "'] a")).click();
        textAppears(By.id("transcript"), "Agent: I can help with the kumquats.");
        browser.findElement(By.cssSelector("button[data-format='text']")).click();
        Path text = downloads.resolve(asked + ".txt");
        waiting().withMessage("the text download " + text).until(d -> Files.exists(text));
        textAppears(By.tagName("main"), "Downloaded " + asked + ".txt.");
        assertThat(Files.readString(text)).startsWith("Room " + asked + ", session ").contains("(CALLER_HANGUP)")
                .containsPattern("(?m)^\\[[0-9:.]+\\] Caller: I have a question about my kumquat order\\n\\[[0-9:.]+\\] Agent: I can help with the kumquats\\.$");
        browser.findElement(By.cssSelector("button[data-format='vtt']")).click();
        Path vtt = downloads.resolve(asked + ".vtt");
        waiting().withMessage("the WebVTT download " + vtt).until(d -> Files.exists(vtt));
        assertThat(Files.readString(vtt)).startsWith("WEBVTT - room " + asked + "\n\n")
                .containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} --> \\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\n<v Caller>I have a question about my kumquat order$")
                .containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} --> \\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\n<v Agent>I can help with the kumquats\\.$");

        // A failed dial to the number in a later minute (the time filters take minutes): no agent took it. The calls
        // were made before the first test, so that minute has mostly come by now instead of being waited for here.
        Instant lastStart = Instant.parse(given().urlEncodingEnabled(false).get(transcripts + "/v1/sessions?phone=" + encoded)
                .jsonPath().getString("sessions[0].startedAt"));
        LocalDateTime boundary = LocalDateTime.ofInstant(lastStart, ZoneId.systemDefault()).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        Waits.until(Duration.ofSeconds(70), "the minute after the calls started", () -> LocalDateTime.now().isAfter(boundary));
        packaged.livekitApi.dialOutcome(number, new DialOutcome.Reject(486, "Busy Here", Duration.ZERO));
        String busy = given().contentType(ContentType.JSON).body(Map.of("to", number, "trunkId", FakeLiveKitServer.DEFAULT_OUTBOUND_TRUNK))
                .post(gateway() + "/v1/calls?wait=20s").then().statusCode(200).extract().jsonPath().getString("room");
        waiting().withMessage("the transcript service storing the failed dial of room " + busy)
                .until(d -> given().get(transcripts + "/v1/sessions?room=" + busy).jsonPath().getList("sessions").size() == 1);
        browser.get(gateway() + "/console/#/history?phone=" + encoded);
        awaitListed("the calls of " + number + " with the failed dial", asked, cut, busy);

        // By agent: the calls the worker's agent took, not the dial no agent answered.
        WebElement agent = visible(By.name("agent"));
        assertThat(browser.findElement(By.cssSelector("label[for='" + agent.getAttribute("id") + "']")).getText()).isEqualTo("Agent");
        agent.sendKeys("switchboard-agent");
        search(agent);
        awaitListed("the calls of " + number + " the agent switchboard-agent took", asked, cut);

        // By time: before the minute of the dial, the two calls; from it, the dial.
        visible(By.name("agent")).clear();
        WebElement to = browser.findElement(By.name("to"));
        typeLocalTime(to, boundary);
        search(to);
        awaitListed("the calls of " + number + " that started before " + boundary, asked, cut);
        WebElement from = visible(By.name("from"));
        browser.findElement(By.name("to")).clear();
        typeLocalTime(from, boundary);
        search(from);
        awaitListed("the calls of " + number + " that started from " + boundary, busy);
        assertThat(browser.getCurrentUrl()).contains("from=" + URLEncoder.encode(boundary.toString(), StandardCharsets.UTF_8)).doesNotContain("to=");
    }

    /**
     * The calls the history test starts from, made before the first test: its time filter needs a later dial in a later
     * minute (the filters take minutes), and waiting for the next minute at the start of that test alone took up to a
     * minute; made first, the other tests' time goes by meanwhile. Two calls of one number (the caller hangs up one
     * after a question, an operator the other) and a third call of another number.
     */
    private record HistoryCalls(String number, String asked, String cut, String other) {
        static HistoryCalls make() {
            var llm = new FakeLlmControl(packaged.llm.baseUrl());
            llm.reset();
            llm.replyText("I can help with the kumquats.");
            String worker = packaged.url("agent-worker");
            String number = "+1555023" + String.format("%04d", System.nanoTime() % 10_000);
            String asked = "asked-" + System.nanoTime();
            given().contentType(ContentType.JSON).body(Map.of("room", asked, "callerNumber", number)).post(worker + "/v1/simulated-calls")
                    .then().statusCode(201);
            // Answered before it returns: the model has replied before any test resets it.
            given().contentType(ContentType.JSON).body(Map.of("text", "I have a question about my kumquat order"))
                    .post(worker + "/v1/simulated-calls/" + asked + "/utterances").then().statusCode(200);
            given().delete(worker + "/v1/simulated-calls/" + asked).then().statusCode(204);
            String cut = "cut-" + System.nanoTime();
            given().contentType(ContentType.JSON).body(Map.of("room", cut, "callerNumber", number)).post(worker + "/v1/simulated-calls")
                    .then().statusCode(201);
            waiting().until(d -> given().get(gateway() + "/v1/sessions/" + cut).statusCode() == 200);
            given().contentType(ContentType.JSON).body(Map.of("immediate", true)).post(gateway() + "/v1/sessions/" + cut + "/hangup?wait=10s")
                    .then().statusCode(200);
            String other = "other-" + System.nanoTime();
            given().contentType(ContentType.JSON).body(Map.of("room", other, "callerNumber", "+15550179")).post(worker + "/v1/simulated-calls")
                    .then().statusCode(201);
            given().delete(worker + "/v1/simulated-calls/" + other).then().statusCode(204);
            return new HistoryCalls(number, asked, cut, other);
        }
    }

    /** The call page's form of an action, unfolded first when it is one of the less frequent ones. */
    private static WebElement controlForm(String title) {
        List<WebElement> summary = browser.findElements(By.xpath("//summary[normalize-space()='" + title + "']"));
        if (!summary.isEmpty() && summary.getFirst().findElement(By.xpath("..")).getAttribute("open") == null) {
            summary.getFirst().click();
        }
        return visible(By.cssSelector("form[aria-label='" + title + "']"));
    }

    /** The form's output says exactly this (an outcome with a reason, e.g. "APPLIED: nothing was being said", is another). */
    private static void awaitOutcome(WebElement form, String outcome) {
        WebElement output = form.findElement(By.tagName("output"));
        waiting().withMessage(() -> "the outcome " + outcome + " of the form " + form.getAttribute("aria-label") + "; it says: " + output.getText())
                .until(d -> output.getText().equals(outcome));
    }

    /** Submits the history's filters from the field (as Enter does) and waits for the page they lead to. */
    private static void search(WebElement field) {
        WebElement before = browser.findElement(By.id("history-status"));
        field.submit();
        waiting().until(ExpectedConditions.stalenessOf(before));
    }

    /** The history lists exactly these rooms, and its status tells the count (it is not loading). */
    private static void awaitListed(String what, String... rooms) {
        waiting().withMessage(() -> what + ": " + List.of(rooms) + "; the page lists " + listedRooms() + " and says: "
                        + script("return document.getElementById('history-status')?.textContent"))
                .until(d -> {
                    List<String> listed = listedRooms();
                    Object status = script("return document.getElementById('history-status')?.textContent ?? ''");
                    return listed.size() == rooms.length && Set.copyOf(listed).equals(Set.of(rooms)) && !String.valueOf(status).startsWith("Loading");
                });
    }

    @SuppressWarnings("unchecked")
    private static List<String> listedRooms() {
        return (List<String>) script("return [...document.querySelectorAll('#history tbody tr')].map((r) => r.dataset.room)");
    }

    /** Types a date and time into a datetime-local field as a person does in Chromium (en-US): month, day, year, then the time. */
    private static void typeLocalTime(WebElement field, LocalDateTime at) {
        field.sendKeys(at.format(DateTimeFormatter.ofPattern("MMddyyyy", Locale.US)), Keys.TAB,
                at.format(DateTimeFormatter.ofPattern("hhmma", Locale.US)));
        assertThat(field.getDomProperty("value")).as("the field's value after typing " + at).isEqualTo(at.toString());
    }

    private static Object script(String code, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(code, arguments);
    }

    private static boolean isFocused(By what) {
        return browser.findElements(what).stream().findFirst().map(element -> element.equals(browser.switchTo().activeElement())).orElse(false);
    }

    /** The element has the keyboard focus: the very element, still on the page (not a new one built in its place). */
    private static void assertFocusOn(WebElement element, String what) {
        Object focused = script("const a = document.activeElement; return a ? a.outerHTML.slice(0, 160) : null");
        boolean kept;
        try {
            kept = (Boolean) script("return arguments[0].isConnected && document.activeElement === arguments[0]", element);
        } catch (StaleElementReferenceException e) {
            kept = false; // the element is gone: the page built another in its place
        }
        assertThat(kept).as(what + " has the focus (the same element, still on the page); the focus is on " + focused).isTrue();
    }

    private static void assertReflowsAtDoubleZoom() {
        Dimension size = browser.manage().window().getSize();
        try {
            browser.manage().window().setSize(new Dimension(size.width / 2, size.height / 2));
            waiting().until(d -> ((Number) script("return window.innerWidth")).intValue() <= size.width / 2);
            long overflow = ((Number) script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")).longValue();
            assertThat(overflow).as("pixels the page is wider than the window at 200 %% zoom").isLessThanOrEqualTo(0);
        } finally {
            browser.manage().window().setSize(size);
        }
    }

    /** The whole page (the window made as tall as the page for the shot, at most 2400 px). */
    private static void screenshot(String page) throws IOException {
        Dimension size = browser.manage().window().getSize();
        int height = ((Number) script("return Math.ceil(document.documentElement.scrollHeight)")).intValue();
        browser.manage().window().setSize(new Dimension(size.width, Math.clamp(height + (size.height - ((Number) script("return window.innerHeight")).intValue()), size.height, 2400)));
        Path shot;
        try {
            shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        } finally {
            browser.manage().window().setSize(size);
        }
        Path target = Path.of("target", "console-screenshots", page + ".png");
        Files.createDirectories(target.getParent());
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        if ("update".equals(System.getProperty("console.screenshots"))) {
            Path docs = TestStacks.repositoryRoot().resolve("docs/console/" + page + ".png");
            Files.createDirectories(docs.getParent());
            Files.copy(shot, docs, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
