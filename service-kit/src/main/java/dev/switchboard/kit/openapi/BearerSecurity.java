package dev.switchboard.kit.openapi;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import java.util.ArrayList;

/**
 * Says in every service's OpenAPI document what {@code BearerAuthentication} enforces: a bearer JWT on every operation
 * (the {@code bearer} security scheme, required by the whole document), answered 401 without a valid one, 403 without
 * the scope and 503 while the keys that verify tokens cannot be fetched, except the operations marked {@link #OPEN}
 * (those of {@code @PermitAll} resources), which need none. So generated clients and Swagger UI send the token.
 * Registered with {@code mp.openapi.filter}.
 */
public class BearerSecurity implements OASFilter {
    /** An operation extension (value "true") marking an operation that takes no token; removed from the document. */
    public static final String OPEN = "x-switchboard-no-token";
    static final String SCHEME = "bearer";
    private static final String PROBLEM = "Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents() != null ? openAPI.getComponents() : OASFactory.createComponents();
        components.addSecurityScheme(SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                .description("A JWT from the identity provider the service trusts (mp.jwt.verify.*); the scopes it needs are "
                        + "in the scope, scp or groups claim (calls:read, calls:control, calls:dial, transcripts:read, ...)."));
        openAPI.setComponents(components);
        openAPI.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(SCHEME));
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        boolean problemSchema = components.getSchemas() != null && components.getSchemas().containsKey(PROBLEM);
        for (PathItem item : openAPI.getPaths().getPathItems().values()) {
            for (Operation operation : item.getOperations().values()) {
                secure(operation, problemSchema);
            }
        }
    }

    private static void secure(Operation operation, boolean problemSchema) {
        if (operation.getExtensions() != null && operation.getExtensions().containsKey(OPEN)) {
            operation.removeExtension(OPEN);
            operation.setSecurity(new ArrayList<>()); // an empty list: this operation needs no token
            return;
        }
        APIResponses responses = operation.getResponses() != null ? operation.getResponses() : OASFactory.createAPIResponses();
        if (!responses.hasAPIResponse("401")) {
            responses.addAPIResponse("401", problem("No bearer token, or an expired, malformed or wrongly signed one "
                    + "(WWW-Authenticate: Bearer)", problemSchema));
        }
        if (!responses.hasAPIResponse("403")) {
            responses.addAPIResponse("403", problem("The token lacks the scope this operation needs", problemSchema));
        }
        if (!responses.hasAPIResponse("503")) {
            responses.addAPIResponse("503", problem("The service cannot fetch the keys that verify tokens right now (the "
                    + "identity provider's JWKS endpoint is unreachable); try again after Retry-After", problemSchema));
        }
        operation.setResponses(responses);
    }

    private static APIResponse problem(String description, boolean problemSchema) {
        APIResponse response = OASFactory.createAPIResponse().description(description);
        if (problemSchema) {
            response.content(OASFactory.createContent().addMediaType("application/problem+json",
                    OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM))));
        }
        return response;
    }
}
