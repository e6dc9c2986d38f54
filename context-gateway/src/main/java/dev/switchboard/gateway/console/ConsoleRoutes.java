package dev.switchboard.gateway.console;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The web console lives at {@code /console/}. The Web Bundler renders its page from {@code web/console.html} (it only
 * renders pages at the web root), so the address people use is routed to it here; the page's scripts and styles are
 * bundled under {@code /console/bundle/}. These are static files: the console asks for a token before it calls an API.
 */
@ApplicationScoped
public class ConsoleRoutes {
    static final String PAGE = "/console.html";

    void install(@Observes Router router) {
        // Vert.x matches "/console" with and without the trailing slash: one route tells them apart.
        router.get("/console").handler(ctx -> {
            if (ctx.request().path().endsWith("/")) {
                ctx.reroute(PAGE);
            } else {
                ctx.redirect("/console/");
            }
        });
    }
}
