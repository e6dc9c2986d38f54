package dev.switchboard.stack.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The operator commands' command lines: what each becomes, and the usage errors (exit 2) with the command's usage line. */
class ArgumentsTest {

    private static Invocation parse(String... args) {
        return Arguments.parse(List.of(args));
    }

    @Test
    void eachCommandBecomesItsRequestWithTheDefaults() {
        assertThat(parse("calls")).isEqualTo(new Invocation(new CliCommand.Calls(false), false, null));
        assertThat(parse("calls", "--all", "--json")).isEqualTo(new Invocation(new CliCommand.Calls(true), true, null));
        assertThat(parse("inject", "demo-1", "Order 42 shipped.").command())
                .isEqualTo(new CliCommand.Inject("demo-1", "Order 42 shipped.", false, "system", null));
        assertThat(parse("say", "demo-1", "One", "moment", "please").command())
                .as("the text may be several arguments").isEqualTo(new CliCommand.Say("demo-1", "One moment please"));
        assertThat(parse("hangup", "demo-1").command())
                .isEqualTo(new CliCommand.Hangup("demo-1", false, Verb.Defaults.GOODBYE, Verb.Defaults.HANGUP_REASON));
        assertThat(parse("hangup", "demo-1", "--now").command())
                .isEqualTo(new CliCommand.Hangup("demo-1", true, null, Verb.Defaults.HANGUP_REASON));
        assertThat(parse("transcript", "demo-1").command()).isEqualTo(new CliCommand.Transcript("demo-1", "text"));
        assertThat(parse("tail", "demo-1").command()).isEqualTo(new CliCommand.Tail("demo-1", Duration.ofSeconds(60)));
        assertThat(parse("search", "refund", "policy").command())
                .isEqualTo(new CliCommand.Search("refund policy", null, Verb.Defaults.SEARCH_LIMIT));
    }

    @Test
    void optionsGoAnywhereAfterTheCommandWithASpaceOrAnEqualsSign() {
        assertThat(parse("inject", "--respond", "demo-1", "--role=user", "Is", "it", "there?", "--label", "crm", "--token", "T1"))
                .isEqualTo(new Invocation(new CliCommand.Inject("demo-1", "Is it there?", true, "user", "crm"), false, "T1"));
        assertThat(parse("hangup", "demo-1", "--goodbye", "Bye now", "--reason=done").command())
                .isEqualTo(new CliCommand.Hangup("demo-1", false, "Bye now", "done"));
        assertThat(parse("transcript", "demo-1", "--format", "SRT").command()).isEqualTo(new CliCommand.Transcript("demo-1", "srt"));
        assertThat(parse("transcript", "demo-1", "--json")).isEqualTo(new Invocation(new CliCommand.Transcript("demo-1", "json"), true, null));
        assertThat(parse("search", "late", "delivery", "--room", "demo-1", "--limit", "5").command())
                .isEqualTo(new CliCommand.Search("late delivery", "demo-1", 5));
        assertThat(parse("tail", "--reconnect=0", "demo-1").command()).isEqualTo(new CliCommand.Tail("demo-1", Duration.ZERO));
    }

    @Test
    void doubleDashEndsTheOptionsSoATextMayStartWithADash() {
        assertThat(parse("say", "demo-1", "--", "-5", "degrees", "--json").command()).isEqualTo(new CliCommand.Say("demo-1", "-5 degrees --json"));
        assertThat(parse("search", "--limit", "3", "--", "refund", "-voucher").command())
                .isEqualTo(new CliCommand.Search("refund -voucher", null, 3));
    }

    @Test
    void helpNeedsNoArgumentsAndNamesTheCommand() {
        assertThat(parse().command()).isEqualTo(new CliCommand.Help(null));
        assertThat(parse("help").command()).isEqualTo(new CliCommand.Help(null));
        assertThat(parse("help", "tail").command()).isEqualTo(new CliCommand.Help(Verb.TAIL));
        assertThat(parse("inject", "--help").command()).as("without ROOM and TEXT").isEqualTo(new CliCommand.Help(Verb.INJECT));
        assertThat(parse("hangup", "demo-1", "-h").command()).isEqualTo(new CliCommand.Help(Verb.HANGUP));
    }

    @Test
    void wrongCommandLinesAreUsageErrorsThatShowTheUsage() {
        assertUsage(List.of("ring", "+1555"), "unknown command: ring", "inject"); // (dial is a command now)
        assertUsage(List.of("inject", "demo-1"), "missing TEXT", "usage: ./switchboard inject ROOM TEXT");
        assertUsage(List.of("inject"), "missing ROOM TEXT", "usage: ./switchboard inject");
        assertUsage(List.of("say", "demo-1", "  "), "TEXT must not be blank", "usage: ./switchboard say");
        assertUsage(List.of("calls", "demo-1"), "unexpected argument \"demo-1\"", "usage: ./switchboard calls");
        assertUsage(List.of("calls", "--colour"), "unknown option --colour", "usage: ./switchboard calls");
        assertUsage(List.of("tail", "demo-1", "--respond"), "unknown option --respond", "usage: ./switchboard tail");
        assertUsage(List.of("inject", "demo-1", "hi", "--role", "assistant"), "--role takes system, user, not \"assistant\"", "inject");
        assertUsage(List.of("inject", "demo-1", "hi", "--label"), "--label needs a value", "inject");
        assertUsage(List.of("inject", "demo-1", "hi", "--respond=yes"), "--respond takes no value", "inject");
        assertUsage(List.of("hangup", "demo-1", "--now", "--goodbye", "Bye"), "--now hangs up without a goodbye", "hangup");
        assertUsage(List.of("transcript", "demo-1", "--format", "pdf"), "--format takes text, srt, vtt, json, not \"pdf\"", "transcript");
        assertUsage(List.of("transcript", "demo-1", "--format", "srt", "--json"), "does not go with --format srt", "transcript");
        assertUsage(List.of("search", "refund", "--limit", "0"), "--limit takes a number of lines from 1 to 200 (the transcript service's maximum), not \"0\"", "search");
        assertUsage(List.of("search", "x", "--limit", "5000"), "--limit takes a number of lines from 1 to 200", "search");
        assertThat(parse("search", "x", "--limit", "200").command()).isEqualTo(new CliCommand.Search("x", null, 200));
        assertUsage(List.of("tail", "demo-1", "--reconnect", "1m"), "--reconnect takes a number of seconds from 0 to 3600, not \"1m\"", "tail");
        assertUsage(List.of("tail", "demo-1", "--reconnect", "-1"), "--reconnect takes a number of seconds from 0 to 3600", "tail");
        // Empty values are slips, not choices: the API would refuse them (exit 1), and --room "" would search every room.
        assertUsage(List.of("hangup", "r", "--goodbye="), "--goodbye must not be empty", "usage: ./switchboard hangup");
        assertUsage(List.of("hangup", "r", "--reason", " "), "--reason must not be empty", "hangup");
        assertUsage(List.of("inject", "r", "t", "--label="), "--label must not be empty", "usage: ./switchboard inject");
        assertUsage(List.of("inject", "r", "t", "--role", ""), "--role must not be empty", "inject");
        assertUsage(List.of("search", "x", "--room", ""), "--room must not be empty", "usage: ./switchboard search");
        assertUsage(List.of("transcript", "r", "--format="), "--format must not be empty", "transcript");
        assertUsage(List.of("help", "bogus"), "unknown command: bogus", "Operator commands");
        assertUsage(List.of("search", "--room", "demo-1"), "missing WORDS", "search");
        assertUsage(List.of("search", "refund", "-voucher"), "unknown option -voucher (a text that starts with a dash goes after --)", "search");
        assertUsage(List.of("calls", "--token", "a", "--token", "b"), "--token is given twice", "calls");
        assertUsage(List.of("dtmf", "demo-1", "xyz"), "DIGITS may only hold 0-9, *, #, A-D and w (a half-second pause), not \"xyz\"", "dtmf");
        assertThat(parse("dtmf", "demo-1", "12w3#").command()).isEqualTo(new CliCommand.Dtmf("demo-1", "12w3#"));
        // The gateway's limits, as wrong usage naming the argument: 1 to 64 keys, spaces and dashes aside.
        assertUsage(List.of("dtmf", "demo-1", "   "), "DIGITS must hold 1 to 64 keys (spaces and dashes aside), not 0", "dtmf");
        assertUsage(List.of("dtmf", "demo-1", " - "), "DIGITS must hold 1 to 64 keys (spaces and dashes aside), not 0", "dtmf");
        assertUsage(List.of("dtmf", "demo-1", "1".repeat(65)), "DIGITS must hold 1 to 64 keys (spaces and dashes aside), not 65", "dtmf");
        assertUsage(List.of("dtmf", "demo-1", "wW w"), "DIGITS must press at least one key; w only pauses", "dtmf");
        assertThat(parse("dtmf", "demo-1", "1-2 ".repeat(32)).command()).isEqualTo(new CliCommand.Dtmf("demo-1", "1-2 ".repeat(32)));
    }

    @Test
    void theLimitCheckedHereIsTheTranscriptServicesMaximum() throws Exception {
        // Surefire runs in the module directory, deploy/local-stack.
        Path properties = Path.of("").toAbsolutePath().getParent().getParent()
                .resolve("transcript-service/src/main/resources/application.properties");
        assertThat(Files.readAllLines(properties)).contains("switchboard.transcripts.api.max-page-size=" + Verb.Defaults.SEARCH_MAX_LIMIT);
    }

    @Test
    void transcriptsUsageAndHelpNameTheFormatsItTakesAndNoOthers() {
        CliException refused = catchThrowableOfType(CliException.class, () -> parse("transcript", "demo-1", "--format", "pdf"));
        Matcher listed = Pattern.compile("--format takes (.+), not \"pdf\"\n(usage: .*)").matcher(refused.getMessage());
        assertThat(listed.find()).as(refused.getMessage()).isTrue();
        List<String> accepted = List.of(listed.group(1).split(", "));
        assertThat(listed.group(2)).as("the usage line under the error").contains("[--format " + String.join("|", accepted) + "]");
        assertThat(Verb.TRANSCRIPT.help()).contains("[--format " + String.join("|", accepted) + "]");
        for (String format : accepted) {
            assertThat(parse("transcript", "demo-1", "--format", format).command()).isEqualTo(new CliCommand.Transcript("demo-1", format));
            assertThat(Verb.TRANSCRIPT.details).as("the help's words on --format").contains(format);
        }
    }

    private static void assertUsage(List<String> args, String problem, String usage) {
        assertThatThrownBy(() -> Arguments.parse(args)).as(String.join(" ", args))
                .isInstanceOfSatisfying(CliException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(CliException.USAGE);
                    assertThat(e.getMessage()).contains(problem).contains(usage);
                });
    }
}
