package dev.switchboard.stack.cli;

import dev.switchboard.stack.StackSettings;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code ./switchboard calls | inject | say | dtmf | hangup | transcript | tail | search}: operating live calls and their
 * transcripts from a terminal or a script, through the same public HTTP APIs (context gateway, transcript service) any
 * other client uses, with a token of the local stack unless one is given. The first argument is the checkout the
 * script runs from (for the stack's state directory), then the command line.
 *
 * <p>Exit codes: 0 done; 1 the API answered with an error (unknown room, missing scope, a command REJECTED or EXPIRED);
 * 2 wrong usage; 3 the stack cannot be reached.
 */
public final class OperatorCli {
    private OperatorCli() {
    }

    public static void main(String[] args) {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        boolean terminal = System.console() != null && System.console().isTerminal();
        int code = run(root, rest, System.getenv(), System.out, System.err, terminal);
        System.out.flush();
        System.exit(code);
    }

    /**
     * Runs one command line and answers its exit code; everything it prints goes to {@code out} and {@code err}. Public
     * for the end-to-end tests, which run it against the packaged stack in their own JVM.
     */
    public static int run(Path root, List<String> args, Map<String, String> env, PrintStream out, PrintStream err, boolean terminal) {
        try {
            Invocation invocation = Arguments.parse(args);
            if (invocation.command() instanceof CliCommand.Help help) {
                return Operations.help(help, out);
            }
            Endpoints endpoints = Endpoints.from(env);
            Path state = StackSettings.stateDirectory(root, env);
            Tokens.Token token = Tokens.choose(invocation.token(), env, state,
                    state.startsWith(root) ? root.relativize(state).toString() : state.toString());
            try (ApiClient api = new ApiClient(endpoints, token)) {
                Render render = new Render(Instant.now(), ZoneId.systemDefault(), terminal);
                return new Operations(api, out, err, invocation.json(), render).run(invocation.command());
            }
        } catch (CliException e) {
            out.flush();
            err.println("error: " + TerminalText.shown(e.getMessage()));
            return e.exitCode();
        }
    }
}
