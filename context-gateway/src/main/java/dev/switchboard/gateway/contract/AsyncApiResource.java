package dev.switchboard.gateway.contract;

import dev.switchboard.kit.openapi.BearerSecurity;
import dev.switchboard.schemas.asyncapi.AsyncApiDocument;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Serves the AsyncAPI document of Switchboard's Kafka topics: the one the schemas build generates from the topic
 * catalogue and the schemas ({@link AsyncApiDocument}) into the schemas jar, as it is.
 */
@Path("/asyncapi.yaml")
@PermitAll // the published contract of the topics, like /q/openapi: no secret in it
@Tag(name = "Contracts", description = "Machine-readable descriptions of Switchboard's interfaces")
@ApplicationScoped
public class AsyncApiResource {
    // A compile-time constant: reading it does not load the generator, whose YAML writer only the build has.
    static final String RESOURCE = AsyncApiDocument.RESOURCE;
    static final String MEDIA_TYPE = "application/yaml";

    private final String document;

    AsyncApiResource() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath: the schemas jar was built without it");
            }
            document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    @GET
    @Extension(name = BearerSecurity.OPEN, value = "true")
    @Produces(MEDIA_TYPE)
    @Operation(summary = "The AsyncAPI 3.0 document of every Kafka topic",
            description = "Channels, keys, Avro payloads (every released version with its fingerprint), who produces and consumes "
                    + "each topic, and the dead-letter twins.")
    @APIResponse(responseCode = "200", description = "The document, in YAML")
    public String document() {
        return document;
    }
}
