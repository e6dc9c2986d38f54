package dev.switchboard.worker.livekit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.worker.session.Tenants;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Chooses the tenant of a LiveKit call, by rules tried in order:
 * <ol>
 *   <li>the {@code tenant} field of the job's metadata, then of the dial's details on the SIP participant (the
 *       {@value DialDetails#PARTICIPANT_ATTRIBUTE} attribute of a call dialled without an explicit dispatch), then of the
 *       room's metadata (JSON; set by whoever dispatched the agent, placed the call or created the room with LiveKit's
 *       API key, so it is trusted as LiveKit's grants are);</li>
 *   <li>the room name's prefix ({@code switchboard.tenancy.room-prefix."acme-"=acme}; the longest prefix wins);</li>
 *   <li>the SIP trunk the call came in on ({@code switchboard.tenancy.sip-trunk.<trunk id>});</li>
 *   <li>the number called ({@code switchboard.tenancy.called-number."+15550100"});</li>
 *   <li>else {@value Tenants#DEFAULT}.</li>
 * </ol>
 * A metadata value that is not a valid tenant name is ignored (and logged); the configured names are checked at start:
 * the resolver is made when the worker starts ({@code @Startup}), not by the first call that needs it, so a bad
 * setting stops the worker instead of failing that call. It is made before any other start-up work (as the token
 * settings are checked, {@code AuthSettings}): it needs nothing but its settings, and a worker that will stop anyway
 * should not first wait on the broker.
 */
@Startup(Interceptor.Priority.PLATFORM_BEFORE)
@ApplicationScoped
public class TenantResolver {
    private static final Logger LOG = Logger.getLogger(TenantResolver.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What is known of a call when its session starts; any of it may be null.
     *
     * @param dialDetails the dial's details the SIP participant carries (JSON), read when the job's metadata names no tenant
     */
    public record CallFacts(String jobMetadata, String dialDetails, String roomMetadata, String roomName, String sipTrunkId,
                            String calledNumber) {
        /** A call without dial details on its SIP participant. */
        public CallFacts(String jobMetadata, String roomMetadata, String roomName, String sipTrunkId, String calledNumber) {
            this(jobMetadata, null, roomMetadata, roomName, sipTrunkId, calledNumber);
        }
    }

    /** The tenant, and which rule chose it (for the log). */
    public record Resolution(String tenant, String rule) {
    }

    private final boolean fromMetadata;
    private final List<Map.Entry<String, String>> roomPrefixes; // longest first
    private final Map<String, String> sipTrunks;
    private final Map<String, String> calledNumbers; // by normalized number

    @Inject
    TenantResolver(TenancySettings settings) {
        this(settings.fromMetadata(), settings.roomPrefix(), settings.sipTrunk(), settings.calledNumber());
    }

    public TenantResolver(boolean fromMetadata, Map<String, String> roomPrefixes, Map<String, String> sipTrunks, Map<String, String> calledNumbers) {
        this.fromMetadata = fromMetadata;
        this.roomPrefixes = checked("room-prefix", roomPrefixes).entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed())
                .toList();
        this.sipTrunks = checked("sip-trunk", sipTrunks);
        this.calledNumbers = checked("called-number", calledNumbers).entrySet().stream()
                .collect(Collectors.toMap(e -> normalizedNumber(e.getKey()), Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    public Resolution resolve(CallFacts call) {
        if (fromMetadata) {
            Optional<String> declared = metadataTenant(call.jobMetadata(), "job");
            if (declared.isPresent()) {
                return new Resolution(declared.get(), "job metadata");
            }
            declared = metadataTenant(call.dialDetails(), "SIP participant's dial");
            if (declared.isPresent()) {
                return new Resolution(declared.get(), "the dial's details on the SIP participant");
            }
            declared = metadataTenant(call.roomMetadata(), "room");
            if (declared.isPresent()) {
                return new Resolution(declared.get(), "room metadata");
            }
        }
        if (call.roomName() != null) {
            for (Map.Entry<String, String> prefix : roomPrefixes) {
                if (call.roomName().startsWith(prefix.getKey())) {
                    return new Resolution(prefix.getValue(), "room prefix " + prefix.getKey());
                }
            }
        }
        if (call.sipTrunkId() != null && sipTrunks.containsKey(call.sipTrunkId())) {
            return new Resolution(sipTrunks.get(call.sipTrunkId()), "SIP trunk " + call.sipTrunkId());
        }
        if (call.calledNumber() != null) {
            String tenant = calledNumbers.get(normalizedNumber(call.calledNumber()));
            if (tenant != null) {
                return new Resolution(tenant, "called number");
            }
        }
        return new Resolution(Tenants.DEFAULT, "default");
    }

    private static Optional<String> metadataTenant(String metadata, String whose) {
        if (metadata == null || metadata.isBlank()) {
            return Optional.empty();
        }
        JsonNode tenant;
        try {
            tenant = JSON.readTree(metadata).path("tenant");
        } catch (Exception e) {
            return Optional.empty(); // metadata that is not JSON is not ours
        }
        if (tenant.isMissingNode() || tenant.isNull()) {
            return Optional.empty();
        }
        Optional<String> valid = tenant.isTextual() ? Tenants.parse(tenant.asText()) : Optional.empty();
        if (valid.isEmpty()) {
            LOG.warnf("the %s metadata names a tenant that is not a valid tenant name (1-64 letters, digits, . _ -); ignored", whose);
        }
        return valid;
    }

    private static Map<String, String> checked(String rule, Map<String, String> tenants) {
        tenants.forEach((key, tenant) -> {
            if (!Tenants.isValid(tenant)) {
                // Quarkus reports a ConfigurationException as its message alone: one line naming the setting, no stack trace.
                throw new ConfigurationException("switchboard.tenancy." + rule + "." + key + " = '" + tenant
                        + "' is not a valid tenant name (1-64 letters, digits, . _ -)");
            }
        });
        return tenants.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /** +1 (555) 010-0 and +15550100 are the same number. */
    private static String normalizedNumber(String number) {
        return number.chars().filter(c -> Character.isDigit(c) || c == '+').mapToObj(Character::toString)
                .collect(Collectors.joining());
    }
}
