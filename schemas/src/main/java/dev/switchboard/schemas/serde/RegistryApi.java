package dev.switchboard.schemas.serde;

import org.apache.avro.Schema;

/**
 * What the schema-registry mode needs of a registry: register a schema under a subject (or find it there) and give a
 * schema by its id. Two dialects: Confluent's REST API, which Confluent Schema Registry, Apicurio Registry
 * ({@code /apis/ccompat/v7}), Karapace and Redpanda all serve, and Apicurio Registry's own v2 API.
 */
sealed interface RegistryApi extends AutoCloseable permits ConfluentRegistryApi, ApicurioRegistryApi {
    /** The id of {@code schema} under {@code subject}, registering it there if it is not yet. */
    int register(String subject, Schema schema);

    /** The schema with this id. */
    Schema schema(int id);

    @Override
    void close();

    /** The registry answered that the request itself is wrong (4xx): asking again would not help. */
    final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }
}
