package dev.switchboard.transcripts;

import dev.switchboard.events.SpeakerRole;
import dev.switchboard.events.TranscriptSegment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Synthetic call transcripts for the benchmark: one line every 3 s (so 1200 lines make a one-hour call), callers
 * and agent taking turns, 6 to 18 words a line drawn from everyday words, a support vocabulary with a skewed
 * frequency (a few words in several percent of the lines, most far rarer), fixed two-word phrases and a large set
 * of rare made-up words (product and place names) that each occur a few dozen times per million lines. Seeded:
 * the same corpus every run.
 */
final class BenchmarkCorpus {
    static final String[] COMMON = ("i you we they it is are was be have has do does can could would will should "
            + "the a an and or but if then so because that this these those there here what when where why how who "
            + "my your our their me us them him her please thanks thank yes no okay sure right well just really "
            + "know think want need like get got make take see look tell said say let go going come call called "
            + "one two three today tomorrow yesterday week month time day now again still already also only very "
            + "good great fine sorry problem question help check moment minute second back about with from for on in at to of").split(" ");
    static final String[] DOMAIN = ("order refund invoice delivery address payment account card balance subscription plan "
            + "upgrade cancel cancellation discount price charge fee receipt shipping package parcel tracking courier warehouse "
            + "return exchange warranty repair technician appointment schedule booking reservation ticket complaint manager "
            + "supervisor transfer callback email password login verification identity contract renewal insurance claim "
            + "coverage policy premium deductible outage internet router modem signal").split(" ");
    static final String[][] PHRASES = {{"delivery", "address"}, {"credit", "card"}, {"order", "number"}, {"payment", "plan"},
            {"tracking", "number"}, {"customer", "service"}, {"billing", "cycle"}, {"account", "manager"}};

    private final Random random;
    private final String[] rare;

    BenchmarkCorpus(long seed, int rareWords) {
        random = new Random(seed);
        String[] syllables = "ka lo mi ze ru ta ne vo si pa de gu fi ro ba te lu no ri sa mo ku ve zi".split(" ");
        rare = new String[rareWords];
        Random names = new Random(seed ^ 0x5DEECE66DL);
        for (int i = 0; i < rareWords; i++) {
            StringBuilder word = new StringBuilder("x");
            int parts = 3 + names.nextInt(2);
            for (int p = 0; p < parts; p++) {
                word.append(syllables[names.nextInt(syllables.length)]);
            }
            rare[i] = word.append(i).toString();
        }
    }

    String rareWord(int index) {
        return rare[index];
    }

    String domainWord(int index) {
        return DOMAIN[index];
    }

    /** Domain words follow a Zipf-like law: word i is picked with weight 1/(i+1). */
    private String domain() {
        double total = 0;
        for (int i = 0; i < DOMAIN.length; i++) {
            total += 1.0 / (i + 1);
        }
        double pick = random.nextDouble() * total;
        for (int i = 0; i < DOMAIN.length; i++) {
            pick -= 1.0 / (i + 1);
            if (pick <= 0) {
                return DOMAIN[i];
            }
        }
        return DOMAIN[DOMAIN.length - 1];
    }

    String line() {
        int words = 6 + random.nextInt(13);
        StringBuilder out = new StringBuilder(words * 7);
        for (int i = 0; i < words; i++) {
            double p = random.nextDouble();
            String word;
            if (p < 0.05) {
                word = rare[random.nextInt(rare.length)];
            } else if (p < 0.07) {
                String[] phrase = PHRASES[random.nextInt(PHRASES.length)];
                word = phrase[0] + " " + phrase[1];
            } else if (p < 0.12) {
                word = domain();
            } else {
                word = COMMON[random.nextInt(COMMON.length)];
            }
            if (i == 0) {
                word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
            }
            out.append(i == 0 ? "" : " ").append(word);
        }
        if (random.nextDouble() < 0.01) {
            out.append(", my card is 4111 1111 1111 1111"); // some lines carry PII, so redaction does real work
        }
        return out.append(random.nextBoolean() ? "." : "?").toString();
    }

    /** One call of the given number of lines, as the agent worker publishes it. */
    List<TranscriptSegment> call(String room, int lines, Instant startedAt) {
        String sessionId = UUID.randomUUID().toString();
        List<TranscriptSegment> segments = new ArrayList<>(lines);
        for (int i = 0; i < lines; i++) {
            long start = i * 3000L;
            long end = start + 2500;
            SpeakerRole role = i % 2 == 0 ? SpeakerRole.USER : SpeakerRole.AGENT;
            segments.add(TranscriptSegment.newBuilder().setSegmentId(UUID.randomUUID().toString()).setRoom(room).setSessionId(sessionId)
                    .setSequence(i).setRevision(0).setRole(role).setParticipantIdentity(role == SpeakerRole.USER ? "caller" : "agent")
                    .setText(line()).setStartMs(start).setEndMs(end).setIsFinal(true).setInterrupted(false).setLanguage("en-US")
                    .setConfidence(0.9f).setCreatedAt(startedAt.plusMillis(end)).build());
        }
        return segments;
    }
}
