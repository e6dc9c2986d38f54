package dev.switchboard.kit.http;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ResourceInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the HTTP metrics' tags bounded, whatever clients send: the {@code uri} tag is a route template of this
 * service ({@code /v1/sessions/{room}}) or UNKNOWN, never a raw path (room names and garbage would each become a
 * time series), and the {@code method} tag is a standard method or UNKNOWN. Templates are learnt from the requests a
 * resource method took (as JAX-RS declares them), so nothing has to be listed by hand.
 */
@Singleton
public class RouteTemplates implements MeterFilter {
    static final String UNKNOWN = "UNKNOWN";
    /** What Quarkus tags requests with that no route matched, and the root. */
    private static final Set<String> QUARKUS_TOKENS = Set.of(UNKNOWN, "NOT_FOUND", "REDIRECTION", "root", "/");
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");

    private final Set<String> known = ConcurrentHashMap.newKeySet();

    /** First of all filters: a request another filter refuses must still be tagged with its route. */
    @ServerRequestFilter(priority = 1)
    public void learn(ResourceInfo resource) {
        if (resource != null && resource.getResourceClass() != null) {
            known.add(template(resource.getResourceClass().getAnnotation(Path.class),
                    resource.getResourceMethod() == null ? null : resource.getResourceMethod().getAnnotation(Path.class)));
        }
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith("http.server")) {
            return id;
        }
        List<Tag> tags = new ArrayList<>();
        boolean changed = false;
        for (Tag tag : id.getTagsAsIterable()) {
            String value = tag.getValue();
            String bounded = switch (tag.getKey()) {
                case "uri" -> known.contains(value) || QUARKUS_TOKENS.contains(value) ? value : UNKNOWN;
                case "method" -> METHODS.contains(value) ? value : UNKNOWN;
                default -> value;
            };
            changed |= !bounded.equals(value);
            tags.add(Tag.of(tag.getKey(), bounded));
        }
        return changed ? id.replaceTags(tags) : id;
    }

    /** The route as JAX-RS declares it: the class's path, then the method's, e.g. /v1/sessions/{room}/transcript. */
    public static String template(Path type, Path method) {
        StringBuilder template = new StringBuilder();
        for (Path path : new Path[]{type, method}) {
            if (path == null) {
                continue;
            }
            for (String segment : path.value().split("/")) {
                if (!segment.isEmpty()) {
                    template.append('/').append(segment);
                }
            }
        }
        return template.isEmpty() ? "/" : template.toString();
    }
}
