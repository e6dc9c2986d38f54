package dev.switchboard.kit.openapi;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Says in every service's OpenAPI document what {@code BearerAuthentication} enforces: a bearer JWT on every operation
 * (the {@code bearer} security scheme, required by the whole document), answered 401 without a valid one, 403 without
 * the scope and 503 while the keys that verify tokens cannot be fetched, except the operations marked {@link #OPEN}
 * (those of {@code @PermitAll} resources), which need none. So generated clients and Swagger UI send the token.
 * It also says what {@code StrictRequestJson} enforces: a JSON request body takes no field its schema does not name
 * ({@code additionalProperties: false}), so a client generated from the document, or a validator in front of the
 * service, refuses a misspelt field before the service answers 400. Registered with {@code mp.openapi.filter}.
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
        Set<Schema> closed = new HashSet<>();
        for (PathItem item : openAPI.getPaths().getPathItems().values()) {
            for (Operation operation : item.getOperations().values()) {
                secure(operation, problemSchema);
                closeRequestBody(operation, components, closed);
            }
        }
    }

    private static void closeRequestBody(Operation operation, Components components, Set<Schema> closed) {
        if (operation.getRequestBody() == null || operation.getRequestBody().getContent() == null) {
            return;
        }
        MediaType json = operation.getRequestBody().getContent().getMediaType("application/json");
        if (json != null) {
            close(json.getSchema(), components, closed);
        }
    }

    /**
     * Closes an object schema and the object schemas its properties refer to; a map (a schema that already says what
     * its additional properties are, like a dial's metadata) stays open, as it is meant to.
     */
    private static void close(Schema schema, Components components, Set<Schema> closed) {
        Schema target = resolve(schema, components);
        if (target == null || !closed.add(target)) {
            return;
        }
        Map<String, Schema> properties = target.getProperties();
        if (properties == null || properties.isEmpty()
                || target.getAdditionalPropertiesSchema() != null || target.getAdditionalPropertiesBoolean() != null) {
            return;
        }
        target.setAdditionalPropertiesBoolean(Boolean.FALSE);
        properties.values().forEach(property -> close(property, components, closed));
    }

    private static Schema resolve(Schema schema, Components components) {
        if (schema == null || schema.getRef() == null) {
            return schema;
        }
        String name = schema.getRef().substring(schema.getRef().lastIndexOf('/') + 1);
        return components.getSchemas() == null ? null : components.getSchemas().get(name);
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
