package dev.switchboard.kit.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * A JSON body that names a field twice ({@code {"text": "a", "text": "b"}}) is a 400, not the last value quietly
 * taken: a proxy, a signature check or a log that reads the first one would see another request than the service.
 */
@Singleton
public class DuplicateKeysRefused implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }
}
