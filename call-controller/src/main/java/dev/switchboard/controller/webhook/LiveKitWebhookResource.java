package dev.switchboard.controller.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.kit.openapi.BearerSecurity;
import dev.switchboard.kit.problem.JsonProblems;
import dev.switchboard.kit.problem.Problem;
import dev.switchboard.kit.problem.ProblemException;
import dev.switchboard.kit.problem.ProblemType;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import livekit.LivekitWebhook.WebhookEvent;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * LiveKit's webhooks. LiveKit signs each delivery: the Authorization header is a JWT signed with the API secret
 * whose {@code sha256} claim is the body's base64 SHA-256 ({@link WebhookSignature} checks both); anything else is
 * refused with 401, so nobody but the LiveKit server can report calls ended. A delivery whose signature expired or
 * whose event is older than {@link WebhookSettings#maxAge()} is refused too ({@link WebhookFreshness}), and a repeat
 * within that window is recognised by its id and answered 200 DUPLICATE without effect, so a captured webhook cannot
 * be replayed and LiveKit's own retries stop. Refusals are counted, never logged above DEBUG: anyone can send them.
 */
@Path("/livekit/webhook")
@PermitAll // LiveKit signs its webhooks itself (checked below); it sends no bearer token of ours
@Tag(name = "LiveKit webhooks", description = "Room and participant events from the LiveKit server")
public class LiveKitWebhookResource {
    private static final Logger LOG = Logger.getLogger(LiveKitWebhookResource.class);
    static final String WEBHOOK_JSON = "application/webhook+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * A delivery LiveKit did not sign (no Authorization, another key or secret, a body that is not the signed one, an
     * expired signature). A 401 without {@code WWW-Authenticate: Bearer}: no bearer token of ours would be accepted here.
     */
    public static final ProblemType INVALID_SIGNATURE = ProblemType.named("invalid-webhook-signature", "Invalid webhook signature", 401);
    /** A signed delivery refused as a possible replay: older than the max age, from the future, or without a time or an id. */
    public static final ProblemType STALE = ProblemType.named("stale-webhook", "Stale webhook", 401);

    private final WebhookSignature signature;
    private final WebhookService webhooks;
    private final WebhookFreshness freshness;
    private final MeterRegistry metrics;

    LiveKitWebhookResource(WebhookSignature signature, WebhookService webhooks, WebhookFreshness freshness, MeterRegistry metrics) {
        this.signature = signature;
        this.webhooks = webhooks;
        this.freshness = freshness;
        this.metrics = metrics;
    }

    @POST
    @Extension(name = BearerSecurity.OPEN, value = "true")
    @Consumes({WEBHOOK_JSON, MediaType.APPLICATION_JSON})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a LiveKit webhook",
            description = "Verifies the signature, then publishes participant_joined, participant_left and room_finished "
                    + "as session events keyed by room. Other events are acknowledged and ignored; a repeated delivery "
                    + "(same id) publishes nothing.")
    @APIResponse(responseCode = "200", description = "Received; what was done with it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookOutcome.class)))
    @APIResponse(responseCode = "400", description = "Signed correctly but not a LiveKit WebhookEvent",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "Missing or invalid signature, an expired signature, or a stale event (older than switchboard.webhook.max-age) or one without an id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "LiveKit is not configured, or the event could not be published or guarded yet (LiveKit retries)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public WebhookOutcome receive(
            @Parameter(description = "The JWT LiveKit signs the delivery with (no Bearer prefix)")
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            byte[] body) {
        if (!signature.configured()) {
            throw new ProblemException(Response.Status.SERVICE_UNAVAILABLE,
                    "LiveKit is not configured: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET to receive its webhooks")
                    .reportedAtStart(); // LiveKitClients said so at start; unsigned requests must not fill the log
        }
        if (authorization == null || authorization.isBlank()) {
            throw refused(INVALID_SIGNATURE, "unverified", "rejected", "missing Authorization header: LiveKit signs every webhook with a JWT");
        }
        String token = authorization.trim();
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = token.substring(7).trim(); // LiveKit sends the bare JWT; tolerate a proxy or tool that adds the scheme
        }
        WebhookEvent event = verify(body == null ? new byte[0] : body, token);
        freshness.problem(event).ifPresent(stale -> {
            throw refused(STALE, eventTag(event), "stale", stale);
        });
        try {
            return webhooks.handle(event);
        } catch (ProblemException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warnf("webhook %s (%s, room %s) could not be published, LiveKit will retry: %s", event.getId(), event.getEvent(),
                    event.getRoom().getName(), e.getMessage());
            throw new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "the event could not be published to Kafka: " + e.getMessage());
        }
    }

    private WebhookEvent verify(byte[] body, String token) {
        try {
            return signature.verify(body, token);
        } catch (WebhookSignature.Refused e) {
            throw refused(INVALID_SIGNATURE, "unverified", "rejected", "invalid webhook signature: " + e.getMessage());
        } catch (WebhookSignature.Malformed e) {
            String text = new String(body, StandardCharsets.UTF_8);
            throw ProblemException.invalid("the body is not a LiveKit WebhookEvent: " + jsonSyntaxError(text).orElse(e.getMessage()));
        }
    }

    /** What is wrong with the body as JSON, when that is what is wrong with it (the SDK's message does not say). */
    private static Optional<String> jsonSyntaxError(String body) {
        try {
            JSON.readTree(body);
            return Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.of(JsonProblems.describe(e));
        }
    }

    /** A signed event's type as a metric tag: LiveKit's names, anything else {@code other}. */
    private static String eventTag(WebhookEvent event) {
        return WebhookEventTag.of(event.getEvent());
    }

    /**
     * A 401. Outcome {@code rejected}: the signature did not hold (event {@code unverified}, {@link #INVALID_SIGNATURE});
     * {@code stale}: signed, but too old, from the future or without an id ({@link #STALE}).
     */
    private ProblemException refused(ProblemType type, String event, String outcome, String detail) {
        metrics.counter("switchboard.controller.webhooks", "event", event, "outcome", outcome).increment();
        // Counted, not logged above DEBUG: anyone can send unsigned requests or replay old ones (a wrong secret or
        // skewed clocks show in the counter).
        LOG.debugf("webhook refused: %s", detail);
        return new ProblemException(type, detail);
    }
}
