package dev.switchboard.worker.voice;

import dev.switchboard.worker.concurrent.WorkerThreads;
import dev.switchboard.worker.session.CallTransport;
import dev.switchboard.worker.voice.audio.MonoAudio;
import dev.switchboard.worker.voice.tts.SentenceChunker;
import dev.switchboard.worker.voice.tts.TextToSpeech;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One utterance of the agent on an audio call: streamed text is cut into sentences, each synthesized and
 * played in order. Every sentence's audio span on the output is remembered, so when the caller interrupts, the
 * words they actually heard can be told from the playout position.
 */
final class VoiceSpeech implements CallTransport.Speech {

    /** A sentence and where its audio lies on the output (written-sample positions; end grows as audio arrives). */
    private static final class Span {
        final String text;
        long start = -1;
        long end = -1;

        Span(String text) {
            this.text = text;
        }
    }

    private final TextToSpeech tts;
    private final AudioOutput output;
    private final SpeechListener listener;
    private final SentenceChunker chunker = new SentenceChunker();
    private final List<Span> spans = new ArrayList<>();
    private final CompletableFuture<CallTransport.Delivery> delivered = new CompletableFuture<>();
    private final StringBuilder allText = new StringBuilder();
    private TextToSpeech.Utterance utterance;
    private boolean finished;
    private volatile boolean cancelled;
    private volatile boolean firstAudio = true;

    /** Told when the utterance's first audio reaches the output, when each sentence starts, and when it is over. */
    interface SpeechListener {
        void firstAudioWritten(VoiceSpeech speech, long sample);

        /** A sentence's first audio was handed to the output (it plays once the queue ahead of it has). */
        void sentenceStarted(VoiceSpeech speech, String sentence);

        void ended(VoiceSpeech speech);
    }

    VoiceSpeech(TextToSpeech tts, AudioOutput output, SpeechListener listener) {
        this.tts = tts;
        this.output = output;
        this.listener = listener;
    }

    @Override
    public synchronized void append(String text) {
        if (cancelled || finished) {
            return;
        }
        allText.append(text);
        chunker.append(text).forEach(this::say);
    }

    private void say(String sentence) {
        if (utterance == null) {
            utterance = tts.open(this::play);
        }
        spans.add(new Span(sentence));
        utterance.say(sentence);
    }

    /** Runs on the synthesizer's thread: writing blocks while the output queue is full, which paces synthesis. */
    private void play(int sentence, MonoAudio frame) {
        if (cancelled) {
            return;
        }
        try {
            long position;
            String started = null;
            synchronized (this) {
                Span span = spans.get(sentence);
                position = output.writtenSamples();
                if (span.start < 0) {
                    span.start = position;
                    started = span.text;
                }
                span.end = position + frame.length();
            }
            if (started != null) {
                listener.sentenceStarted(this, started);
            }
            if (firstAudio) {
                firstAudio = false;
                listener.firstAudioWritten(this, position);
            }
            output.write(frame);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void finish() {
        if (finished || cancelled) {
            return;
        }
        finished = true;
        String rest = chunker.flush();
        if (!rest.isEmpty()) {
            say(rest);
        }
        if (utterance == null) {
            complete(new CallTransport.Delivery("", false, 0));
            return;
        }
        utterance.finish();
        utterance.done().whenComplete((ok, error) -> {
            if (error != null) {
                delivered.completeExceptionally(error);
                listener.ended(this);
                return;
            }
            WorkerThreads.start("speech-playout", this::awaitPlayout);
        });
    }

    private void awaitPlayout() {
        long end;
        synchronized (this) {
            end = spans.stream().mapToLong(s -> s.end).max().orElse(output.writtenSamples());
        }
        try {
            output.awaitPlayed(end);
        } catch (InterruptedException e) {
            return;
        }
        if (!cancelled) {
            complete(new CallTransport.Delivery(allText.toString().strip(), false, durationMs(firstStart(), end)));
        }
    }

    /** Stops now: synthesis is cancelled, queued audio dropped, and the delivery says what the caller heard. */
    @Override
    public void cancel() {
        long heardUpTo;
        synchronized (this) {
            if (cancelled || delivered.isDone()) {
                return;
            }
            cancelled = true;
            heardUpTo = output.playedSamples();
            if (utterance != null) {
                utterance.cancel();
            }
        }
        output.clear();
        long start = firstStart();
        complete(new CallTransport.Delivery(heardText(heardUpTo), true, start < 0 ? 0 : durationMs(start, Math.max(start, heardUpTo))));
    }

    /** The words heard up to a playout position: whole sentences, then the played share of the one cut off, at a word boundary. */
    synchronized String heardText(long position) {
        StringBuilder heard = new StringBuilder();
        for (Span span : spans) {
            if (span.start < 0 || position <= span.start) {
                break;
            }
            if (position >= span.end) {
                heard.append(span.text).append(' ');
                continue;
            }
            double share = (double) (position - span.start) / (span.end - span.start);
            String[] words = span.text.split("\\s+");
            int count = (int) Math.floor(words.length * share);
            for (int i = 0; i < count; i++) {
                heard.append(words[i]).append(' ');
            }
            break;
        }
        return heard.toString().strip();
    }

    private synchronized long firstStart() {
        return spans.isEmpty() ? -1 : spans.getFirst().start;
    }

    private long durationMs(long fromSample, long toSample) {
        return fromSample < 0 ? 0 : (toSample - fromSample) * 1000 / output.sampleRate();
    }

    boolean isPlaying() {
        return !delivered.isDone() && !cancelled;
    }

    private void complete(CallTransport.Delivery delivery) {
        if (delivered.complete(delivery)) {
            listener.ended(this);
        }
    }

    @Override
    public CompletableFuture<CallTransport.Delivery> delivered() {
        return delivered;
    }
}
