package dev.switchboard.gateway.api;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Header values as the client wrote them. HTTP carries header bytes, and the server reads each byte as one ISO-8859-1
 * character, so a label a client sent in UTF-8 ("Zoë") arrives as "ZoÃ«". Clients that send anything beyond ASCII send
 * UTF-8 in practice: a value whose bytes are valid UTF-8 is read as such, any other is left as it came.
 */
final class Utf8Headers {
    private Utf8Headers() {
    }

    static String decode(String value) {
        boolean beyondAscii = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xFF) {
                return value; // not bytes read one by one
            }
            beyondAscii |= c > 0x7F;
        }
        if (!beyondAscii) {
            return value;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (CharacterCodingException e) {
            return value;
        }
    }
}
