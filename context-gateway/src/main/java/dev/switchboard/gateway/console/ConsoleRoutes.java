package dev.switchboard.gateway.console;

import dev.switchboard.kit.http.RouteProblems;
import dev.switchboard.kit.problem.ProblemType;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.util.Optional;

/**
 * The web console lives at {@code /console/}. The Web Bundler renders its page from {@code web/console.html} (it only
 * renders pages at the web root), so the address people use is routed to it here; the page's scripts and styles are
 * bundled under {@code /console/bundle/}. These are static files: the console asks for a token before it calls an API.
 *
 * <p>The page may steer and hang up calls, so it is never framed by another site (a click on an invisible console
 * would be the operator's), and it runs only the bundle's own scripts and styles and talks only to this gateway and the
 * transcript service.
 */
@ApplicationScoped
public class ConsoleRoutes {
    static final String PAGE = "/console.html";

    private final String contentSecurityPolicy;
    private final RouteProblems problems;

    ConsoleRoutes(@ConfigProperty(name = "switchboard.console.transcripts-url") Optional<String> transcriptsUrl, RouteProblems problems) {
        this.contentSecurityPolicy = policy(transcriptsUrl.map(String::strip).filter(url -> !url.isEmpty()).map(ConsoleRoutes::origin));
        this.problems = problems;
    }

    void install(@Observes Router router) {
        // Static files are only read: another method is told so, as the APIs do, instead of a 404 for a page that exists.
        router.routeWithRegex("/console(/.*)?|/console\\.html").handler(ctx -> {
            HttpMethod method = ctx.request().method();
            if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) { // OPTIONS: CORS
                ctx.next();
            } else {
                methodNotAllowed(ctx);
            }
        });
        // Vert.x matches "/console" with and without the trailing slash: one route tells them apart.
        router.route("/console").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
            if (ctx.request().path().endsWith("/")) {
                protect(ctx);
                ctx.reroute(PAGE);
            } else {
                ctx.redirect("/console/");
            }
        });
        router.route(PAGE).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
            protect(ctx);
            ctx.next();
        });
        // The bundle's source maps are JSON, but Vert.x knows no media type for .map and would send none.
        router.getWithRegex("/console/bundle/.+\\.map").handler(ctx -> {
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
            ctx.next();
        });
    }

    private void methodNotAllowed(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.ALLOW, "GET, HEAD");
        problems.answer(ctx, ProblemType.of(405), "the console's pages are only read: use GET, not " + ctx.request().method());
    }

    private void protect(RoutingContext ctx) {
        ctx.response().putHeader("Content-Security-Policy", contentSecurityPolicy)
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Referrer-Policy", "no-referrer");
        // The page names the bundle's files by their content hash, so they may be kept for good, but the page itself must
        // be asked for again after an upgrade: the static handler would let browsers keep it a day.
        ctx.addHeadersEndHandler(ignored -> ctx.response().headers().set(HttpHeaders.CACHE_CONTROL, "no-cache"));
    }

    static String policy(Optional<String> transcriptsOrigin) {
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'"
                + transcriptsOrigin.map(origin -> " " + origin).orElse("")
                + "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    /** scheme://host[:port] of the transcript service's URL (a CSP source is an origin, not a path). */
    private static String origin(String url) {
        URI uri = URI.create(url);
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("switchboard.console.transcripts-url must be an absolute http(s) URL, not \"" + url + "\"");
        }
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }
}
