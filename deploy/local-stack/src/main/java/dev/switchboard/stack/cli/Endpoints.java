package dev.switchboard.stack.cli;

import dev.switchboard.stack.StackException;
import dev.switchboard.stack.StackSettings;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/**
 * Where the CLI finds the two services it talks to. By default where {@code ./switchboard up} runs them, on localhost and
 * the ports StackSettings reads from the same variables (so a stack moved with SWITCHBOARD_GATEWAY_PORT is still found);
 * SWITCHBOARD_GATEWAY_URL and SWITCHBOARD_TRANSCRIPTS_URL point it at any other deployment.
 */
record Endpoints(URI gateway, URI transcripts) {
    static final String GATEWAY_URL = "SWITCHBOARD_GATEWAY_URL";
    static final String TRANSCRIPTS_URL = "SWITCHBOARD_TRANSCRIPTS_URL";

    static Endpoints from(Map<String, String> env) {
        try {
            return new Endpoints(
                    url(env, GATEWAY_URL, "http://localhost:" + StackSettings.servicePort(env, "context-gateway")),
                    url(env, TRANSCRIPTS_URL, "http://localhost:" + StackSettings.servicePort(env, "transcript-service")));
        } catch (StackException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    /** The variable's URL without a trailing slash (paths are appended to it), or the local stack's. */
    private static URI url(Map<String, String> env, String variable, String local) {
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
            return URI.create(local);
        }
        String trimmed = value.strip().replaceAll("/+$", "");
        try {
            URI uri = new URI(trimmed);
            if ((!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null
                    || uri.getQuery() != null || uri.getFragment() != null) {
                throw new URISyntaxException(value, "not an http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw CliException.usage(variable + "=" + value + " is not an http or https URL such as http://localhost:8080");
        }
    }
}
