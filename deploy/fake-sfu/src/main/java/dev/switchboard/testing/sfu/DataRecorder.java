package dev.switchboard.testing.sfu;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import livekit.LivekitModels;

/**
 * The data packets the client sent on its publisher data channels: text/byte streams (header, chunks,
 * trailer; e.g. captions on topic {@code lk.transcription}), user packets, SIP DTMF packets, and a count of
 * everything else.
 * Thread-safe.
 */
final class DataRecorder {

    /** One data stream as received so far. */
    static final class Stream {
        final String streamId;
        final String topic;
        final String senderIdentity;
        final String mimeType;
        final boolean text;
        final Map<String, String> attributes;
        final double openedAtMs;
        final TreeMap<Long, byte[]> chunks = new TreeMap<>();
        Map<String, String> trailerAttributes;
        String trailerReason;
        double closedAtMs = -1;

        Stream(LivekitModels.DataStream.Header h, String sender, double atMs) {
            this.streamId = h.getStreamId();
            this.topic = h.getTopic();
            this.senderIdentity = sender;
            this.mimeType = h.getMimeType();
            this.text = !h.hasByteHeader();
            this.attributes = new LinkedHashMap<>(h.getAttributesMap());
            this.openedAtMs = atMs;
        }

        String content() {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            chunks.values().forEach(b::writeBytes);
            return b.toString(StandardCharsets.UTF_8);
        }
    }

    /** A user packet (SendData / publish_data). */
    record UserPacket(double atMs, String channel, String senderIdentity, String topic, byte[] payload,
            List<String> destinationIdentities) {}

    /**
     * A SIP DTMF packet (publish_sip_dtmf). {@code senderIdentity} is the identity of the connection it came on (what
     * a LiveKit server stamps on the packets it forwards); {@code packetIdentity} is what the packet itself carried.
     */
    record Dtmf(double atMs, String channel, String senderIdentity, String packetIdentity, int code, String digit,
            List<String> destinationIdentities) {}

    private final long originNanos;
    private final Map<String, Stream> streams = new LinkedHashMap<>();
    private final List<UserPacket> userPackets = new ArrayList<>();
    private final List<Dtmf> dtmf = new ArrayList<>();
    private final Map<String, Integer> otherPackets = new TreeMap<>();
    private int undecodable;

    DataRecorder(long originNanos) {
        this.originNanos = originNanos;
    }

    /**
     * A message from one of the client's data channels ({@code label} is {@code _reliable}, {@code _lossy}...);
     * {@code connectionIdentity} is the identity the client joined with.
     */
    synchronized void onMessage(String label, String connectionIdentity, byte[] bytes) {
        double at = (System.nanoTime() - originNanos) / 1e6;
        LivekitModels.DataPacket p;
        try {
            p = LivekitModels.DataPacket.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            undecodable++;
            return;
        }
        switch (p.getValueCase()) {
            case STREAM_HEADER -> streams.put(p.getStreamHeader().getStreamId(),
                    new Stream(p.getStreamHeader(), p.getParticipantIdentity(), at));
            case STREAM_CHUNK -> {
                Stream s = streams.get(p.getStreamChunk().getStreamId());
                if (s != null) {
                    s.chunks.put(p.getStreamChunk().getChunkIndex(), p.getStreamChunk().getContent().toByteArray());
                }
            }
            case STREAM_TRAILER -> {
                Stream s = streams.get(p.getStreamTrailer().getStreamId());
                if (s != null) {
                    s.trailerAttributes = new LinkedHashMap<>(p.getStreamTrailer().getAttributesMap());
                    s.trailerReason = p.getStreamTrailer().getReason();
                    s.closedAtMs = at;
                }
            }
            case USER -> userPackets.add(new UserPacket(at, label, p.getParticipantIdentity(), p.getUser().getTopic(),
                    p.getUser().getPayload().toByteArray(), List.copyOf(p.getDestinationIdentitiesList())));
            case SIP_DTMF -> dtmf.add(new Dtmf(at, label, connectionIdentity, p.getParticipantIdentity(),
                    p.getSipDtmf().getCode(), p.getSipDtmf().getDigit(), List.copyOf(p.getDestinationIdentitiesList())));
            default -> otherPackets.merge(p.getValueCase().name(), 1, Integer::sum);
        }
    }

    synchronized List<Stream> streams() {
        return new ArrayList<>(streams.values());
    }

    synchronized List<UserPacket> userPackets() {
        return new ArrayList<>(userPackets);
    }

    synchronized List<Dtmf> dtmf() {
        return new ArrayList<>(dtmf);
    }

    synchronized Map<String, Integer> otherPackets() {
        Map<String, Integer> m = new TreeMap<>(otherPackets);
        if (undecodable > 0) {
            m.put("UNDECODABLE", undecodable);
        }
        return m;
    }
}
