package dev.switchboard.testing.auth;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.FilterContext;
import io.restassured.filter.OrderedFilter;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

import java.util.ArrayList;
import java.util.List;

/**
 * Before each Quarkus test, RestAssured's requests carry {@link TestTokens#admin()} (registered in META-INF/services):
 * every API needs a token now, and tests about something else should not each have to add one. A request that has its
 * own Authorization header keeps it; {@link TestTokens#withoutToken()} removes the default one.
 */
public class DefaultBearerToken implements QuarkusTestBeforeEachCallback, OrderedFilter {
    /** What the filter sends: the test admin's token, or what a test of the packaged stack installed. */
    private static volatile String authorization = TestTokens.bearer(TestTokens.admin());

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        install();
    }

    /** Makes RestAssured send this header value ("Bearer ...") by default, e.g. a token of a packaged stack's own key. */
    public static void install(String authorizationHeader) {
        authorization = authorizationHeader;
        install();
    }

    /** Makes RestAssured send the admin token by default (also for tests that are not Quarkus tests). */
    public static void install() {
        List<io.restassured.filter.Filter> filters = new ArrayList<>(RestAssured.filters());
        if (filters.stream().noneMatch(DefaultBearerToken.class::isInstance)) {
            filters.add(new DefaultBearerToken());
            RestAssured.replaceFiltersWith(filters);
        }
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response, FilterContext context) {
        if (!request.getHeaders().hasHeaderWithName("Authorization")) {
            request.header("Authorization", authorization);
        }
        return context.next(request, response);
    }

    /** Before the filters a test adds itself (such as {@link TestTokens#withoutToken()}). */
    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }
}
