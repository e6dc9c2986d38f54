package dev.switchboard.schemas.serde;

import io.apicurio.registry.rest.client.RegistryClient;
import io.apicurio.registry.rest.client.RegistryClientFactory;
import io.apicurio.registry.rest.v2.beans.ArtifactMetaData;
import io.apicurio.registry.rest.v2.beans.IfExists;
import org.apache.avro.Schema;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Apicurio Registry's v2 API, through Apicurio's REST client (its {@code apicurio.*} settings, e.g. request headers and
 * TLS, pass through). A schema is an artifact {@code <subject>} in the default group; the id is its content id, which
 * is what the registry's Confluent-compatible API serves as the schema id, so both dialects agree on every id.
 */
final class ApicurioRegistryApi implements RegistryApi {
    private final RegistryClient client;

    ApicurioRegistryApi(String url, Map<String, Object> clientConfig) {
        this.client = RegistryClientFactory.create(url, clientConfig);
    }

    @Override
    public int register(String subject, Schema schema) {
        ArtifactMetaData registered = client.createArtifact(null, subject, null, "AVRO", IfExists.RETURN_OR_UPDATE, true,
                new ByteArrayInputStream(schema.toString().getBytes(StandardCharsets.UTF_8)));
        return Math.toIntExact(registered.getContentId());
    }

    @Override
    public Schema schema(int id) {
        try (InputStream content = client.getContentById(id)) {
            return new Schema.Parser().parse(new String(content.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
