package dev.switchboard.kit.auth;

import com.sun.net.httpserver.HttpServer;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import jakarta.ws.rs.core.Response;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static dev.switchboard.kit.auth.BearerAuthenticationTest.KEY;
import static dev.switchboard.kit.auth.BearerAuthenticationTest.assertKeysUnavailable;
import static dev.switchboard.kit.auth.BearerAuthenticationTest.bearer;
import static dev.switchboard.kit.auth.BearerAuthenticationTest.request;
import static dev.switchboard.kit.auth.BearerAuthenticationTest.resource;
import static dev.switchboard.kit.auth.BearerAuthenticationTest.rsaKey;
import static dev.switchboard.kit.auth.BearerAuthenticationTest.settings;
import static dev.switchboard.kit.auth.BearerAuthenticationTest.token;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long requests wait while the identity provider's JWKS endpoint hangs: it takes connections and requests and never
 * answers (or answers later than a fetch waits). The filter as in {@link BearerAuthenticationTest}, SmallRye JWT's parser
 * and real HTTP: before the service fetched the keys, once the key set it fetched has expired, and for a token whose key
 * it has not got. The figures are printed; the bounds asserted are generous (a fetch gives up after
 * {@link KeyFetches#READ_TIMEOUT}, 3 s; before it did, a request waited 81 s for each fetch), the answers exact.
 */
class JwksOutageTest {
    /** No request waits longer than this: one fetch's timeout with a wide margin. */
    private static final Duration BOUND = Duration.ofSeconds(10);
    /** A request that waits for no fetch is answered within this (in reality a few milliseconds). */
    private static final Duration AT_ONCE = Duration.ofSeconds(1);
    /** How many requests come at once as the endpoint hangs. */
    private static final int BURST = 4;

    private final Idp idp = new Idp();
    private final ExecutorService clients = Executors.newCachedThreadPool();
    private final KeyLog log = new KeyLog();

    JwksOutageTest() throws IOException {
    }

    @BeforeEach
    void captureLog() {
        log.listen();
    }

    @AfterEach
    void stop() {
        log.stopListening();
        clients.shutdownNow();
        idp.close();
    }

    @Test
    void beforeTheKeysWereEverFetchedOneRequestWaitsForTheHangingEndpointAndTheOthersAreAnsweredAtOnce() throws Exception {
        idp.hang();
        BearerAuthentication auth = filter(settings(idp.url()));

        List<Answer> burst = all(auth, "cold", BURST);
        int fetchesInBurst = idp.fetches();
        List<Answer> meanwhile = oneByOne(auth, "meanwhile", 5);
        int fetchesMeanwhile = idp.fetches() - fetchesInBurst;
        Thread.sleep(TokenKeys.RETRY_AFTER.plusMillis(500)); // since the fetch failed, and more
        Answer later = send(auth, token(KEY, "later")).get(2, TimeUnit.MINUTES); // the time's up: it goes to the network again
        int fetchesLater = idp.fetches() - fetchesInBurst - fetchesMeanwhile;

        report("cold start, endpoint hangs", burst, meanwhile, List.of(later));
        burst.forEach(answer -> assertKeysUnavailable(answer.response()));
        meanwhile.forEach(answer -> assertKeysUnavailable(answer.response()));
        assertKeysUnavailable(later.response());
        assertThat(slowest(burst)).as("no request waits longer than one fetch").isLessThan(BOUND);
        assertThat(fetchesInBurst).as("one fetch for %d requests at once", BURST).isEqualTo(1);
        assertThat(slowest(meanwhile)).as("after a failed fetch: answered at once").isLessThan(AT_ONCE);
        assertThat(fetchesMeanwhile).as("and not fetched again").isZero();
        assertThat(later.took()).isLessThan(BOUND);
        assertThat(fetchesLater).as("a Retry-After later, one more try").isEqualTo(1);
        assertThat(warnings()).as("the outage logged once").hasSize(1);
        assertThat(BearerAuthenticationTest.message(warnings().getFirst())).contains("SocketTimeoutException");
    }

    @Test
    void onceTheFetchedKeySetExpiredOneRequestWaitsAndTokensVerifiedBeforeStillPass() throws Exception {
        JWTAuthContextInfo settings = settings(idp.url());
        settings.setJwksRefreshInterval(0); // as if smallrye.jwt.jwks.refresh-interval had passed at each request
        BearerAuthentication auth = filter(settings);
        String alice = token(KEY, "alice");
        assertThat(send(auth, alice).get(2, TimeUnit.MINUTES).response()).as("the keys fetched").isNull();
        idp.hang();
        Thread.sleep(400); // jose4j fetches a key set at most every 300 ms
        int before = idp.fetches();

        Answer aliceAgain = send(auth, alice).get(2, TimeUnit.MINUTES);
        List<Answer> burst = all(auth, "expired", BURST);
        List<Answer> meanwhile = oneByOne(auth, "meanwhile", 5);

        report("key set expired, endpoint hangs", List.of(aliceAgain), burst, meanwhile);
        assertThat(aliceAgain.response()).as("a token verified before passes").isNull();
        assertThat(aliceAgain.took()).isLessThan(AT_ONCE);
        // While one request refreshes the expired set, jose4j gives the others the set it holds: they verify.
        burst.forEach(answer -> {
            if (answer.response() != null) {
                assertKeysUnavailable(answer.response());
            }
        });
        assertThat(burst).as("the request that refreshed").anyMatch(answer -> answer.response() != null);
        assertThat(slowest(burst)).as("no request waits longer than one fetch").isLessThan(BOUND);
        meanwhile.forEach(answer -> assertKeysUnavailable(answer.response()));
        assertThat(slowest(meanwhile)).as("after a failed fetch: answered at once").isLessThan(AT_ONCE);
        assertThat(idp.fetches() - before).as("one fetch").isEqualTo(1);
        assertThat(warnings()).hasSize(1);
    }

    @Test
    void aTokenWhoseKeyIsUnknownWaitsForTheForcedRefreshAloneAndTokensWithKnownKeysStillVerify() throws Exception {
        BearerAuthentication auth = filter(settings(idp.url()));
        assertThat(send(auth, token(KEY, "alice")).get(2, TimeUnit.MINUTES).response()).as("the keys fetched").isNull();
        idp.hang();
        Thread.sleep(400);
        int before = idp.fetches();
        RsaJsonWebKey unknownKey = rsaKey("key-2");

        Future<Answer> unknown = send(auth, token(unknownKey, "mallory")); // SmallRye refreshes the set to look for key-2
        idp.awaitFetches(before + 1);
        Answer known = send(auth, token(KEY, "bob")).get(2, TimeUnit.MINUTES);
        boolean unknownStillWaiting = !unknown.isDone();
        Answer unknownAnswer = unknown.get(2, TimeUnit.MINUTES);
        List<Answer> moreUnknown = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            moreUnknown.add(send(auth, token(unknownKey, "mallory-" + i)).get(2, TimeUnit.MINUTES));
        }
        Answer knownAfter = send(auth, token(KEY, "carol")).get(2, TimeUnit.MINUTES);

        report("unknown kid, endpoint hangs", List.of(unknownAnswer), moreUnknown, List.of(known, knownAfter));
        assertThat(known.response()).as("a token signed by a key the service holds verifies").isNull();
        assertThat(unknownStillWaiting).as("without waiting for the refresh under way").isTrue();
        assertKeysUnavailable(unknownAnswer.response());
        assertThat(unknownAnswer.took()).isLessThan(BOUND);
        moreUnknown.forEach(answer -> assertKeysUnavailable(answer.response()));
        assertThat(slowest(moreUnknown)).isLessThan(AT_ONCE);
        assertThat(knownAfter.response()).isNull();
        assertThat(idp.fetches() - before).as("one fetch").isEqualTo(1);
        assertThat(log.atLeast(Level.INFO))
                .as("one WARN; a token verified by a held key does not end the outage").hasSize(1)
                .allMatch(r -> r.getLevel().intValue() == Level.WARNING.intValue());
    }

    @Test
    void aSlowEndpointIsWaitedForUpToTheTimeout() throws Exception {
        idp.answerAfter(Duration.ofSeconds(1));
        Answer slow = send(filter(settings(idp.url())), token(KEY, "alice")).get(2, TimeUnit.MINUTES);

        idp.answerAfter(Duration.ofSeconds(30));
        Answer tooSlow = send(filter(settings(idp.url())), token(KEY, "alice")).get(2, TimeUnit.MINUTES);

        report("endpoint answering after 1 s, and after 30 s", List.of(slow), List.of(tooSlow), List.of());
        assertThat(slow.response()).as("an answer within the timeout: the keys").isNull();
        assertThat(slow.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(1)).isLessThan(BOUND);
        assertKeysUnavailable(tooSlow.response());
        assertThat(tooSlow.took()).isLessThan(BOUND);
    }

    // --- measuring ---

    private record Answer(Response response, Duration took) {
        String status() {
            return response == null ? "verified" : String.valueOf(response.getStatus());
        }
    }

    /** One request, sent from a client thread of its own. */
    private Future<Answer> send(BearerAuthentication auth, String token) {
        return clients.submit(() -> {
            long start = System.nanoTime();
            Response response = auth.authenticate(resource(), bearer(token), request());
            return new Answer(response, Duration.ofNanos(System.nanoTime() - start));
        });
    }

    /** Requests at once, each with a token not verified before; waited for long beyond any bound. */
    private List<Answer> all(BearerAuthentication auth, String name, int count) throws Exception {
        List<Future<Answer>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(send(auth, token(KEY, name + "-" + i)));
        }
        List<Answer> answers = new ArrayList<>();
        for (Future<Answer> answer : sent) {
            answers.add(answer.get(2, TimeUnit.MINUTES));
        }
        return answers;
    }

    private List<Answer> oneByOne(BearerAuthentication auth, String name, int count) throws Exception {
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            answers.add(send(auth, token(KEY, name + "-" + i)).get(2, TimeUnit.MINUTES));
        }
        return answers;
    }

    private static Duration slowest(List<Answer> answers) {
        return answers.stream().map(Answer::took).max(Comparator.naturalOrder()).orElseThrow();
    }

    private void report(String scenario, List<Answer> first, List<Answer> then, List<Answer> last) {
        System.out.printf("JWKS outage, %s: %s | %s | %s; the endpoint was asked %d times in all, set-up included%n", scenario, figures(first),
                figures(then), figures(last), idp.fetches());
    }

    private static String figures(List<Answer> answers) {
        return answers.stream().map(answer -> answer.status() + " in " + answer.took().toMillis() + " ms").toList().toString();
    }

    private List<LogRecord> warnings() {
        return log.atLeast(Level.WARNING);
    }

    private static BearerAuthentication filter(JWTAuthContextInfo settings) {
        return BearerAuthenticationTest.filter(settings, BearerAuthenticationTest.Settings.defaults(), new CurrentCaller(),
                Clock.systemUTC());
    }

    /**
     * The provider's key endpoint: it serves the key set, or takes each request and answers it late, or never (until the
     * test ends): to a client, a provider that hangs.
     */
    private static final class Idp implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService handlers = Executors.newCachedThreadPool();
        private final CountDownLatch closed = new CountDownLatch(1);
        private final AtomicInteger fetches = new AtomicInteger();
        /** How long it takes to answer; null: it never does. */
        private volatile Duration delay = Duration.ZERO;

        Idp() throws IOException {
            byte[] keySet = new JsonWebKeySet(KEY).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY).getBytes(StandardCharsets.UTF_8);
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(handlers);
            server.createContext("/jwks", exchange -> {
                fetches.incrementAndGet();
                Duration wait = delay;
                try {
                    if (wait == null) {
                        closed.await();
                        return;
                    }
                    if (closed.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, keySet.length);
                exchange.getResponseBody().write(keySet);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
        }

        void hang() {
            delay = null;
        }

        void answerAfter(Duration wait) {
            delay = wait;
        }

        int fetches() {
            return fetches.get();
        }

        void awaitFetches(int count) throws InterruptedException {
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (fetches.get() < count && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(fetches.get()).as("the endpoint was asked").isGreaterThanOrEqualTo(count);
        }

        @Override
        public void close() {
            closed.countDown();
            server.stop(0);
            handlers.shutdownNow();
        }
    }
}
