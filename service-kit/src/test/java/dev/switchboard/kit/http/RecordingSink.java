package dev.switchboard.kit.http;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A stream's connection for tests: it records what was sent, and its writes complete only when the test says so. */
final class RecordingSink implements SseEventSink {
    final List<OutboundSseEvent> sent = new ArrayList<>();
    final List<CompletableFuture<Void>> writes = new ArrayList<>();
    volatile boolean closed;

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public CompletionStage<?> send(OutboundSseEvent event) {
        sent.add(event);
        CompletableFuture<Void> write = new CompletableFuture<>();
        writes.add(write);
        return write;
    }

    @Override
    public void close() {
        closed = true;
    }

    void completeAll() {
        writes.forEach(write -> write.complete(null));
    }
}
