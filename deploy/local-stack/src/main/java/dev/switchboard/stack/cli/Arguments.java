package dev.switchboard.stack.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code <command> [arguments and options]}. Options may come anywhere after the command, as {@code --name value}
 * or {@code --name=value}; {@code --} ends them, so a text may start with a dash. A command's last argument may take
 * the rest of the line ({@code ./switchboard say demo-1 Hello there} says "Hello there").
 */
final class Arguments {
    /** The most keys one DTMF command sends (the gateway's DtmfRequest). */
    private static final int MAX_DTMF_KEYS = 64;

    private Arguments() {
    }

    static Invocation parse(List<String> args) {
        if (args.isEmpty() || isHelp(args.getFirst()) || args.getFirst().equals("help")) {
            // Help on a command that does not exist is the same mistake as running it, not a request for the overview.
            Verb topic = args.size() > 1 ? Verb.named(args.get(1)).orElseThrow(() -> CliException.usage("unknown command: "
                    + args.get(1) + "\n" + Verb.overview().stripTrailing())) : null;
            return new Invocation(new CliCommand.Help(topic), false, null);
        }
        Verb verb = Verb.named(args.getFirst()).orElseThrow(() -> CliException.usage("unknown command: " + args.getFirst()
                + "\n" + Verb.overview().stripTrailing()));
        Parsed parsed = split(verb, args.subList(1, args.size()));
        if (parsed.flags.contains("--help")) {
            return new Invocation(new CliCommand.Help(verb), false, null);
        }
        return new Invocation(command(verb, parsed), parsed.flags.contains("--json"), parsed.value("--token"));
    }

    /** What the command line held: the positional arguments, the flags given, the valued options' values. */
    private record Parsed(Verb verb, List<String> positionals, Set<String> flags, Map<String, String> values) {
        String value(String option) {
            return values.get(option);
        }

        /** The n-th positional argument; the last named one takes the rest when the command says so. */
        String positional(int index) {
            if (verb.rest != null && index == verb.positionals.size()) {
                return String.join(" ", positionals.subList(index, positionals.size()));
            }
            return positionals.get(index);
        }
    }

    private static Parsed split(Verb verb, List<String> args) {
        List<String> positionals = new ArrayList<>();
        Set<String> flags = new HashSet<>();
        Map<String, String> values = new HashMap<>();
        boolean options = true;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (options && arg.equals("--")) {
                options = false;
                continue;
            }
            if (!options || !arg.startsWith("-") || arg.equals("-")) {
                positionals.add(arg);
                continue;
            }
            if (isHelp(arg)) {
                flags.add("--help");
                continue;
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            if (verb.flags.contains(name) || Verb.COMMON_FLAGS.contains(name)) {
                if (equals >= 0) {
                    throw usage(verb, name + " takes no value");
                }
                flags.add(name);
            } else if (verb.valued.contains(name) || Verb.COMMON_VALUED.contains(name)) {
                String value;
                if (equals >= 0) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw usage(verb, name + " needs a value");
                }
                // An empty value is a slip (--goodbye= , --room "$UNSET"), never a choice: the API would refuse it, or
                // worse, --room "" would search every room. (--token says so itself, in the words of a token.)
                if (value.isBlank() && !name.equals("--token")) {
                    throw usage(verb, name + " must not be empty");
                }
                if (values.put(name, value) != null) {
                    throw usage(verb, name + " is given twice");
                }
            } else {
                throw usage(verb, "unknown option " + name + " (a text that starts with a dash goes after --)");
            }
        }
        int wanted = verb.positionals.size() + (verb.rest == null ? 0 : 1);
        if (positionals.size() < wanted && !flags.contains("--help")) {
            List<String> names = new ArrayList<>(verb.positionals);
            if (verb.rest != null) {
                names.add(verb.rest);
            }
            throw usage(verb, "missing " + String.join(" ", names.subList(positionals.size(), names.size())));
        }
        if (verb.rest == null && positionals.size() > wanted) {
            throw usage(verb, "unexpected argument \"" + positionals.get(wanted) + "\"");
        }
        return new Parsed(verb, positionals, flags, values);
    }

    private static CliCommand command(Verb verb, Parsed p) {
        return switch (verb) {
            case CALLS -> new CliCommand.Calls(p.flags.contains("--all"));
            case INJECT -> new CliCommand.Inject(room(verb, p), text(verb, p), p.flags.contains("--respond"),
                    choice(verb, "--role", p.value("--role"), "system", List.of("system", "user")), p.value("--label"));
            case SAY -> new CliCommand.Say(room(verb, p), text(verb, p));
            case DTMF -> {
                String digits = p.positional(1);
                // What the gateway accepts (DtmfRequest); checked here too, so a mistyped key is wrong usage (exit 2).
                if (!digits.matches("[0-9*#A-Da-dwW \\-]*")) {
                    throw usage(verb, "DIGITS may only hold 0-9, *, #, A-D and w (a half-second pause), not \"" + digits + "\"");
                }
                String keys = digits.replaceAll("[\\s-]", "");
                if (keys.isEmpty() || keys.length() > MAX_DTMF_KEYS) {
                    throw usage(verb, "DIGITS must hold 1 to " + MAX_DTMF_KEYS + " keys (spaces and dashes aside), not " + keys.length());
                }
                if (keys.chars().allMatch(c -> c == 'w' || c == 'W')) {
                    throw usage(verb, "DIGITS must press at least one key; w only pauses");
                }
                yield new CliCommand.Dtmf(room(verb, p), digits);
            }
            case HANGUP -> {
                boolean now = p.flags.contains("--now");
                if (now && p.value("--goodbye") != null) {
                    throw usage(verb, "--now hangs up without a goodbye; leave out --goodbye or --now");
                }
                String reason = p.value("--reason") == null ? Verb.Defaults.HANGUP_REASON : p.value("--reason");
                yield new CliCommand.Hangup(room(verb, p), now,
                        now ? null : p.value("--goodbye") == null ? Verb.Defaults.GOODBYE : p.value("--goodbye"), reason);
            }
            case TRANSCRIPT -> {
                String format = p.value("--format");
                if (p.flags.contains("--json")) {
                    if (format != null && !format.equalsIgnoreCase("json")) {
                        throw usage(verb, "--json prints the transcript as JSON; it does not go with --format " + format);
                    }
                    format = "json";
                }
                yield new CliCommand.Transcript(room(verb, p), choice(verb, "--format", format,
                        Verb.Defaults.TRANSCRIPT_FORMATS.getFirst(), Verb.Defaults.TRANSCRIPT_FORMATS));
            }
            case DIAL -> {
                String to = p.positional(0).strip();
                if (to.isEmpty()) {
                    throw usage(verb, "TO must not be blank");
                }
                yield new CliCommand.Dial(to, p.value("--from"), p.value("--trunk"), p.value("--room"), p.value("--instructions"), p.flags.contains("--wait"));
            }
            case TRANSFER -> {
                String to = p.positional(1).strip();
                if (to.isEmpty()) {
                    throw usage(verb, "TO must not be blank");
                }
                yield new CliCommand.Transfer(room(verb, p), to, p.value("--announcement"));
            }
            case TAIL -> new CliCommand.Tail(room(verb, p), Duration.ofSeconds(reconnectSeconds(verb, p.value("--reconnect"))));
            case SEARCH -> {
                String query = p.positional(0).strip();
                if (query.isEmpty()) {
                    throw usage(verb, "missing WORDS");
                }
                yield new CliCommand.Search(query, p.value("--room"), limit(verb, p.value("--limit")));
            }
        };
    }

    private static String room(Verb verb, Parsed p) {
        String room = p.positional(0).strip();
        if (room.isEmpty()) {
            throw usage(verb, "ROOM must not be blank");
        }
        return room;
    }

    private static String text(Verb verb, Parsed p) {
        String text = p.positional(1);
        if (text.isBlank()) {
            throw usage(verb, "TEXT must not be blank");
        }
        return text;
    }

    private static String choice(Verb verb, String option, String value, String whenAbsent, List<String> choices) {
        if (value == null) {
            return whenAbsent;
        }
        String chosen = value.strip().toLowerCase(Locale.ROOT);
        if (!choices.contains(chosen)) {
            throw usage(verb, option + " takes " + String.join(", ", choices) + ", not \"" + value + "\"");
        }
        return chosen;
    }

    private static int limit(Verb verb, String value) {
        return number(verb, "--limit", value, Verb.Defaults.SEARCH_LIMIT, 1, Verb.Defaults.SEARCH_MAX_LIMIT, "a number of lines",
                " (the transcript service's maximum)");
    }

    private static int reconnectSeconds(Verb verb, String value) {
        return number(verb, "--reconnect", value, Verb.Defaults.TAIL_RECONNECT_SECONDS, 0, Verb.Defaults.TAIL_MAX_RECONNECT_SECONDS,
                "a number of seconds", "");
    }

    /** An option's whole number within its range; {@code whenAbsent} when not given. */
    private static int number(Verb verb, String option, String value, int whenAbsent, int min, int max, String what, String why) {
        if (value == null) {
            return whenAbsent;
        }
        try {
            int number = Integer.parseInt(value.strip());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw usage(verb, option + " takes " + what + " from " + min + " to " + max + why + ", not \"" + value + "\"");
    }

    private static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.equals("-h");
    }

    private static CliException usage(Verb verb, String problem) {
        return CliException.usage(problem + "\n" + verb.usageLine());
    }
}
