package dev.switchboard.gateway.api;

import dev.switchboard.kit.problem.ProblemException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A JSON body must be well-formed UTF-8 (RFC 8259, RFC 3629) before Jackson reads it. Jackson's own decoding is
 * lenient: it decodes an overlong form ({@code C0 AF}, {@code E0 80 AF}) into the character it spells ("/"), so text
 * the gateway says it refuses would reach a worker as something its bytes do not say; and a sequence above U+10FFFF
 * ({@code F4 90 80 80}) came out as half a surrogate pair, refused with a detail about a lone surrogate the client never
 * sent. The JDK's decoder, reporting every malformed or unmappable sequence, is the strict check; the bytes then go on
 * to Jackson unchanged.
 */
@Provider
public class Utf8Bodies implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (!isJson(context.getMediaType())) {
            return context.proceed();
        }
        byte[] body = context.getInputStream().readAllBytes();
        int bad = firstMalformed(body);
        if (bad >= 0) {
            throw ProblemException.invalid("the body is not valid UTF-8: the bytes at offset " + bad
                    + " are not a well-formed UTF-8 sequence (RFC 3629: no overlong forms, surrogates or code points above U+10FFFF)");
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }

    private static boolean isJson(MediaType type) {
        return type != null && (MediaType.APPLICATION_JSON_TYPE.isCompatible(type) || type.getSubtype().endsWith("+json"));
    }

    /** The offset of the first byte that does not begin a well-formed UTF-8 sequence; -1 when the text is all well-formed. */
    static int firstMalformed(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // UTF-8 never has more characters than bytes: one buffer holds it all, so the only error is the input's.
        CoderResult result = decoder.decode(in, CharBuffer.allocate(bytes.length), true);
        if (result.isError()) {
            return in.position();
        }
        return -1;
    }
}
