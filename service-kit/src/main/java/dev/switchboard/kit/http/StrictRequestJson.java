package dev.switchboard.kit.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Request bodies are read as written, never guessed at; each mistake is a 400 naming the field:
 * <ul>
 *   <li>a field named twice ({@code {"text": "a", "text": "b"}}): a proxy, a signature check or a log that reads the
 *       first one would see another request than the service;</li>
 *   <li>a field the request does not have ({@code "respnd": true}): a typo would otherwise drop the setting silently;</li>
 *   <li>a number or boolean where text belongs ({@code "text": 123}, {@code "room": true}): a client that sends one has
 *       a bug, which a quiet {@code "123"} would hide;</li>
 *   <li>anything but {@code true} or {@code false} where a boolean belongs ({@code 1}, {@code 0}, {@code "true"},
 *       {@code ""}): Jackson would read {@code 1} as true and {@code "false"} as false, so a client's {@code "0"} or a
 *       misplaced count would switch a setting without a word.</li>
 *   <li>anything but white space after the JSON value ({@code {"text": "a"} {"text": "b"}}, {@code {"text": "a"}garbage}):
 *       Jackson would read the first value and drop the rest, so two requests glued together would run the first.</li>
 * </ul>
 * Only the services' own JSON goes through this mapper (HTTP bodies and what they write); what other systems send
 * (LiveKit's webhooks, the LLM's answers) is read with parsers that ignore what they do not know.
 */
@Singleton
public class StrictRequestJson implements ObjectMapperCustomizer {
    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
}
