package dev.switchboard.kit.http;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Request bodies are read as {@link InputStream} promises: a read blocks until it has at least one byte or the body
 * has ended. RESTEasy Reactive's blocking body stream ({@code VertxInputStream}, what the worker's blocking resource
 * methods read) breaks that promise once per empty buffer Vert.x hands it, and Vert.x hands it one for the last chunk
 * of a chunked body when that chunk carries trailers ({@code 0\r\nX-Trace: 1\r\n\r\n}: Netty decodes a
 * {@code LastHttpContent} that is not the shared empty one, and Vert.x passes its empty content on as data). The stream
 * then answers {@code read(buffer)} with 0, which Jackson takes for a broken stream (a 500 and an ERROR with a stack
 * trace for a well-formed request), and {@code read()} with a NUL byte that is not in the body. Non-blocking resources
 * (the gateway's) mostly do not see it: their bodies are gathered in memory first, where an empty buffer adds nothing,
 * up to RESTEasy's input buffer ({@code quarkus.rest.input-buffer-size}); a larger body goes on through the same stream.
 * <p>
 * So every body a reader deserializes, in every service, is read through {@link WholeReads} (first, before any other
 * reader interceptor), which goes on reading past an empty
 * buffer to the next bytes or the end. Everything else the stream does (the body-size limit and its 413, the read
 * timeout, 100-continue) stays as Quarkus has it.
 */
@Provider
@Priority(Priorities.ENTITY_CODER)
public class ChunkedBodies implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        InputStream body = context.getInputStream();
        if (body != null && !(body instanceof WholeReads)) {
            context.setInputStream(new WholeReads(body));
        }
        return context.proceed();
    }

    /** A body stream whose reads return at least one byte, or -1 at the end, as {@link InputStream} says they do. */
    static final class WholeReads extends FilterInputStream {
        /**
         * Empty reads in a row before giving up: each one consumes one empty buffer, and a body has one such buffer
         * at its end; a stream that keeps answering 0 is broken, and spinning on it would hold a worker thread forever.
         */
        private static final int MAX_EMPTY_READS = 1000;

        WholeReads(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            // Not in.read(): the blocking stream's single-byte read turns an empty buffer into a byte 0.
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            for (int empty = 0; empty < MAX_EMPTY_READS; empty++) {
                int n = in.read(buffer, offset, length);
                if (n != 0) {
                    return n;
                }
            }
            throw new IOException("the request body stream returned no bytes " + MAX_EMPTY_READS + " times in a row");
        }

        @Override
        public int available() throws IOException {
            // The blocking stream says -1 once the body has ended; InputStream's callers expect 0 there.
            return Math.max(0, in.available());
        }
    }
}
