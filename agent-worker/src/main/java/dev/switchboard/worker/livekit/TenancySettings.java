package dev.switchboard.worker.livekit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Map;

/**
 * How a LiveKit call's tenant is chosen ({@link TenantResolver}). In application.properties or the environment:
 * <pre>
 * switchboard.tenancy.room-prefix."acme-"=acme
 * switchboard.tenancy.sip-trunk.ST_abc123=acme
 * switchboard.tenancy.called-number."+15550100"=globex
 * </pre>
 */
@ConfigMapping(prefix = "switchboard.tenancy")
public interface TenancySettings {

    /**
     * Whether the job's or room's metadata, or the dial's details on a SIP participant, may name the tenant (JSON
     * {@code {"tenant": "acme"}}).
     */
    @WithDefault("true")
    boolean fromMetadata();

    /** Room-name prefix to tenant; the longest matching prefix wins. */
    Map<String, String> roomPrefix();

    /** LiveKit SIP trunk id (the caller's {@code sip.trunkID} attribute) to tenant. */
    Map<String, String> sipTrunk();

    /** Number called (the caller's {@code sip.trunkPhoneNumber} attribute, E.164) to tenant. */
    Map<String, String> calledNumber();
}
