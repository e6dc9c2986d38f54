package dev.switchboard.gateway.api;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Tells an empty header or query value from an absent one. RESTEasy Reactive hands a resource {@code null} for both
 * ({@code Idempotency-Key:} with nothing after it, {@code ?sessionId=}), so a rule such as "must not be blank" would
 * never see the empty value and the request would go on as if it had none: a retry whose key came from an unset shell
 * variable would ring a phone twice. These read the request as received when the parsed value is missing.
 */
@Singleton
public class ReceivedValues {
    private final CurrentVertxRequest current;

    ReceivedValues(CurrentVertxRequest current) {
        this.current = current;
    }

    /** The header's value: {@code parsed} when there is one, else {@code ""} when it came empty, null when absent. */
    public String header(String name, String parsed) {
        if (parsed != null) {
            return parsed;
        }
        RoutingContext context = current.getCurrent();
        return context == null ? null : context.request().getHeader(name);
    }

    /**
     * A repeatable query parameter's values: {@code parsed} when it has any, else the values as received ({@code ?state=}
     * is one empty value, for the caller to refuse), empty when the parameter is absent.
     */
    public List<String> queryValues(String name, List<String> parsed) {
        if (parsed != null && !parsed.isEmpty()) {
            return parsed;
        }
        RoutingContext context = current.getCurrent();
        return context == null ? List.of() : context.queryParams().getAll(name);
    }

    /** The query parameter's value: {@code parsed} when there is one, else {@code ""} when it came empty, null when absent. */
    public String query(String name, String parsed) {
        if (parsed != null) {
            return parsed;
        }
        RoutingContext context = current.getCurrent();
        return context == null ? null : context.queryParams().get(name);
    }
}
