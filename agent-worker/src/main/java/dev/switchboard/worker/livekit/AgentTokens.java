package dev.switchboard.worker.livekit;

import io.livekit.server.AccessToken;
import io.livekit.server.Agent;
import io.quarkus.runtime.configuration.ConfigurationException;

import java.net.URI;

/** The credentials and address of LiveKit's agent endpoint. */
final class AgentTokens {
    private AgentTokens() {
    }

    /** A short-lived token with the agent grant, as the /agent endpoint requires. */
    static String workerToken(String apiKey, String apiSecret, String identity) {
        AccessToken token = new AccessToken(apiKey, apiSecret);
        token.setIdentity(identity);
        token.setTtl(3_600_000L);
        token.addGrants(new Agent(true));
        return token.toJwt();
    }

    /**
     * {@code {LIVEKIT_URL as ws(s)}/agent}.
     *
     * @throws ConfigurationException for a URL of another scheme (checked at start, {@link LiveKitAgentService})
     */
    static URI agentEndpoint(String livekitUrl) {
        String url = livekitUrl.trim().replaceAll("/+$", "");
        if (url.startsWith("http://")) {
            url = "ws://" + url.substring("http://".length());
        } else if (url.startsWith("https://")) {
            url = "wss://" + url.substring("https://".length());
        } else if (!url.startsWith("ws://") && !url.startsWith("wss://")) {
            throw new ConfigurationException("LIVEKIT_URL (switchboard.livekit.url) must start with ws://, wss://, http:// or https://, not '"
                    + livekitUrl + "'");
        }
        return URI.create(url + "/agent");
    }
}
