package dev.switchboard.controller.livekit;

import io.quarkus.runtime.configuration.ConfigurationException;

import java.net.URI;
import java.util.Locale;

/** LIVEKIT_URL is usually the ws(s):// address clients connect to; the server API is the same host over http(s). */
public final class LiveKitUrl {
    private LiveKitUrl() {
    }

    /**
     * The http(s) base of the server API, ending in a slash, e.g. {@code https://example.livekit.cloud/}.
     *
     * @throws ConfigurationException for a URL that is not one (checked at start, {@link LiveKitClients}; Quarkus prints
     *                                it as its message alone)
     */
    public static String apiBase(String livekitUrl) {
        String url = livekitUrl.trim();
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("ws://")) {
            url = "http://" + url.substring("ws://".length());
        } else if (lower.startsWith("wss://")) {
            url = "https://" + url.substring("wss://".length());
        } else if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            throw new ConfigurationException("LIVEKIT_URL (switchboard.livekit.url) must start with ws://, wss://, http:// or https://, not '"
                    + livekitUrl + "'");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("LIVEKIT_URL (switchboard.livekit.url) is not a URL: '" + livekitUrl + "'");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new ConfigurationException("LIVEKIT_URL (switchboard.livekit.url) has no host: '" + livekitUrl + "'");
        }
        // The SDK calls absolute /twirp/... paths, so anything after the authority would be ignored anyway.
        return uri.getScheme() + "://" + uri.getRawAuthority() + "/";
    }
}
