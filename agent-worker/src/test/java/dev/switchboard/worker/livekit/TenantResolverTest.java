package dev.switchboard.worker.livekit;

import dev.switchboard.worker.livekit.TenantResolver.CallFacts;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantResolverTest {
    private final TenantResolver rules = new TenantResolver(true,
            Map.of("acme-", "acme", "acme-eu-", "acme-eu"),
            Map.of("ST_trunk1", "initech"),
            Map.of("+1 (555) 010-0", "globex"));

    private String tenant(String jobMetadata, String roomMetadata, String room, String trunk, String called) {
        return rules.resolve(new CallFacts(jobMetadata, roomMetadata, room, trunk, called)).tenant();
    }

    @Test
    void theRulesAreTriedInOrder() {
        // metadata first: the job's, then the room's
        assertThat(tenant("{\"tenant\": \"umbrella\"}", "{\"tenant\": \"hooli\"}", "acme-1", "ST_trunk1", "+15550100")).isEqualTo("umbrella");
        assertThat(tenant("{\"instructions\": \"x\"}", "{\"tenant\": \"hooli\"}", "acme-1", "ST_trunk1", "+15550100")).isEqualTo("hooli");
        // then the room prefix, the longest one winning
        assertThat(tenant(null, null, "acme-1", "ST_trunk1", "+15550100")).isEqualTo("acme");
        assertThat(tenant(null, null, "acme-eu-1", "ST_trunk1", "+15550100")).isEqualTo("acme-eu");
        // then the SIP trunk, then the called number (formatting ignored)
        assertThat(tenant(null, null, "call-1", "ST_trunk1", "+15550100")).isEqualTo("initech");
        assertThat(tenant(null, null, "call-1", "ST_other", "+15550100")).isEqualTo("globex");
        // else the default tenant
        assertThat(tenant(null, null, "call-1", "ST_other", "+15550199")).isEqualTo("default");
        assertThat(tenant(null, null, null, null, null)).isEqualTo("default");
    }

    @Test
    void theDialsDetailsOnTheSipParticipantComeAfterTheJobsMetadataAndBeforeTheRooms() {
        String dial = "{\"direction\": \"OUTBOUND\", \"tenant\": \"initech\"}";
        assertThat(rules.resolve(new CallFacts(null, dial, "{\"tenant\": \"hooli\"}", "acme-1", null, null)).tenant()).isEqualTo("initech");
        assertThat(rules.resolve(new CallFacts("{\"tenant\": \"umbrella\"}", dial, null, "acme-1", null, null)).tenant()).isEqualTo("umbrella");
        assertThat(rules.resolve(new CallFacts(null, "{\"direction\": \"OUTBOUND\"}", "{\"tenant\": \"hooli\"}", "acme-1", null, null))
                .tenant()).isEqualTo("hooli");
        var withoutMetadata = new TenantResolver(false, Map.of(), Map.of(), Map.of());
        assertThat(withoutMetadata.resolve(new CallFacts(null, dial, null, "r", null, null)).tenant()).isEqualTo("default");
    }

    @Test
    void metadataThatIsNotJsonOrNamesNoValidTenantIsIgnored() {
        assertThat(tenant("not json", "{\"tenant\": 42}", "acme-1", null, null)).isEqualTo("acme");
        assertThat(tenant("{\"tenant\": \"../etc\"}", "{\"tenant\": \"\"}", "call-1", null, null)).isEqualTo("default");
        var withoutMetadata = new TenantResolver(false, Map.of(), Map.of(), Map.of());
        assertThat(withoutMetadata.resolve(new CallFacts("{\"tenant\": \"umbrella\"}", null, "r", null, null)).tenant()).isEqualTo("default");
    }

    @Test
    void aConfiguredTenantThatIsNotAValidNameStopsTheStart() {
        assertThatThrownBy(() -> new TenantResolver(true, Map.of("acme-", "acme corp"), Map.of(), Map.of()))
                .hasMessageContaining("switchboard.tenancy.room-prefix.acme-").hasMessageContaining("not a valid tenant name");
    }
}
