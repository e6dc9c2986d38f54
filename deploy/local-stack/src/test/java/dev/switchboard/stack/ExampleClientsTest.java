package dev.switchboard.stack;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Python and Node.js examples exit with the codes their READMEs document, the same in both, when they cannot get
 * as far as Switchboard: 64 for a wrong command line (argparse's own 2 would mean "no answer came"), 69 when Kafka
 * cannot be reached; each says why in an {@code error:} line, with no traceback or stack. No stack is needed: the broker
 * is one nobody listens on. And the Python example is Python 3.8 code, as its README says.
 *
 * <p>Without the clients' libraries the test is skipped saying what is missing, except in CI (see {@link ExampleClients}).
 */
class ExampleClientsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String NOBODY_LISTENS = "localhost:1";

    @Test
    void thePythonExampleExits64ForAWrongCommandLineAnd69WhenKafkaCannotBeReached() throws Exception {
        String python = ExampleClients.pythonWithTheClientLibraries();
        assertExitCodes(List.of(python, "inject_and_hang_up.py"), ExampleClients.pythonDirectory());
    }

    @Test
    void theNodeExampleExits64ForAWrongCommandLineAnd69WhenKafkaCannotBeReached() throws Exception {
        assertExitCodes(List.of("node", "inject-and-hang-up.mjs"), ExampleClients.nodeDirectory());
    }

    /**
     * The encoding helpers' own unit tests (examples/python/test_switchboard_avro.py, examples/node/switchboard-avro.test.mjs):
     * above all, a payload not named by its branch's full name is refused, never written to whichever branch it fits
     * ({"reason": "stop talking"} meant as an Interrupt fits EndSession, which hangs up the call).
     */
    @Test
    void thePythonEncodingRefusesAPayloadThatDoesNotNameItsBranch() throws Exception {
        String python = ExampleClients.pythonWithTheClientLibraries();
        ExampleClients.Result result = ExampleClients.run(List.of(python, "-m", "unittest", "-v", "test_switchboard_avro"),
                ExampleClients.pythonDirectory(), TIMEOUT);
        assertThat(result.exitCode()).as(result.output()).isZero();
        // Python 3.11 and later name the test's class after it in parentheses, earlier versions do not.
        assertThat(result.output()).as("the tests ran").containsPattern("(?m)^test_a_payload_without_its_branch_name_is_refused_not_guessed\\b.* \\.\\.\\. ok$");
    }

    @Test
    void theNodeEncodingRefusesAPayloadThatDoesNotNameItsBranch() throws Exception {
        ExampleClients.Result result = ExampleClients.run(List.of("node", "--test", "switchboard-avro.test.mjs"),
                ExampleClients.nodeDirectory(), TIMEOUT);
        // Exit code 0 only when every test in the file passed (the reporter's format differs between Node versions).
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    /** No syntax newer than 3.8, and annotations such as "str | None" only where they are not evaluated. */
    @Test
    void thePythonExampleIsPython38() throws Exception {
        String python = ExampleClients.pythonWithTheClientLibraries();
        String check = """
                import ast, pathlib, sys
                for path in sorted(pathlib.Path(".").glob("*.py")):
                    tree = ast.parse(path.read_text("utf-8"), str(path), feature_version=(3, 8))
                    lazy = any(isinstance(n, ast.ImportFrom) and n.module == "__future__" and any(a.name == "annotations" for a in n.names)
                               for n in tree.body)
                    notes = [n.returns for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
                    notes += [n.annotation for n in ast.walk(tree) if isinstance(n, (ast.arg, ast.AnnAssign))]
                    for note in filter(None, notes):
                        newer = [n for n in ast.walk(note) if isinstance(n, ast.BinOp) and isinstance(n.op, ast.BitOr)
                                 or isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name) and n.value.id in ("list", "dict", "tuple", "set", "type")]
                        if newer and not lazy:
                            sys.exit(f"{path}:{note.lineno}: an annotation Python 3.8 cannot evaluate, without 'from __future__ import annotations'")
                print("ok")
                """;
        ExampleClients.Result result = ExampleClients.run(List.of(python, "-c", check), ExampleClients.pythonDirectory(), TIMEOUT);
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    private static void assertExitCodes(List<String> example, Path directory) throws Exception {
        ExampleClients.Result unknownOption = ExampleClients.run(with(example, "--room", "r", "--text", "t", "--no-such-option"), directory, TIMEOUT);
        assertThat(unknownOption.exitCode()).as("an unknown option; it printed:\n%s", unknownOption.output()).isEqualTo(64);
        assertOneErrorLine(unknownOption, "no-such-option");

        ExampleClients.Result noRoom = ExampleClients.run(with(example, "--text", "t"), directory, TIMEOUT);
        assertThat(noRoom.exitCode()).as("no --room; it printed:\n%s", noRoom.output()).isEqualTo(64);
        assertOneErrorLine(noRoom, "--room");

        // Values that parse but cannot be used are wrong command lines too, the same in both examples: the error names the option.
        for (Map.Entry<String, List<String>> wrong : List.of(Map.entry("--room", List.of("--room=", "--text", "t")),
                Map.entry("--text", List.of("--room", "r", "--text=")),
                Map.entry("--lifetime", List.of("--room", "r", "--text", "t", "--lifetime", "-5")),
                Map.entry("--lifetime", List.of("--room", "r", "--text", "t", "--lifetime=-5")),
                Map.entry("--lifetime", List.of("--room", "r", "--text", "t", "--lifetime=0")),
                Map.entry("--lifetime", List.of("--room", "r", "--text", "t", "--lifetime=soon")),
                Map.entry("--role", List.of("--room", "r", "--text", "t", "--role", "ASSISTANT")))) {
            ExampleClients.Result refused = ExampleClients.run(with(example, wrong.getValue().toArray(String[]::new)), directory, TIMEOUT);
            assertThat(refused.exitCode()).as("%s; it printed:\n%s", wrong.getValue(), refused.output()).isEqualTo(64);
            assertOneErrorLine(refused, wrong.getKey());
        }

        // A --schemas directory without the released schemas is a wrong command line, said in one line, not a stack.
        Path noSchemas = Files.createTempDirectory("no-schemas");
        try {
            ExampleClients.Result withoutSchemas = ExampleClients.run(with(example, "--room", "r", "--text", "t", "--schemas", noSchemas.toString()),
                    directory, TIMEOUT);
            assertThat(withoutSchemas.exitCode()).as("--schemas without schemas; it printed:\n%s", withoutSchemas.output()).isEqualTo(64);
            assertOneErrorLine(withoutSchemas, "no released schema of SessionCommand in " + noSchemas.resolve("SessionCommand"));
        } finally {
            Files.delete(noSchemas);
        }

        // The role in the CLI's own spelling (lower case) is taken: the example gets as far as Kafka.
        ExampleClients.Result unreachable = ExampleClients.run(with(example, "--bootstrap-servers", NOBODY_LISTENS, "--room", "r", "--text", "t",
                        "--role", "user"), directory, ExampleClients.EXAMPLE_TIMEOUT);
        assertThat(unreachable.exitCode()).as("Kafka unreachable; it printed:\n%s", unreachable.output()).isEqualTo(69);
        assertOneErrorLine(unreachable, "cannot reach Kafka at " + NOBODY_LISTENS);
        assertThat(unreachable.output().strip().lines()).as("all it printed").hasSize(1);
    }

    private static void assertOneErrorLine(ExampleClients.Result result, String saying) {
        assertThat(result.output().lines().filter(line -> line.startsWith("error: ")).toList()).as(result.output())
                .singleElement().asString().contains(saying);
        assertThat(result.output()).as("a traceback or stack").doesNotContain("Traceback").doesNotContainPattern("(?m)^\\s+at ");
    }

    private static List<String> with(List<String> example, String... arguments) {
        List<String> command = new ArrayList<>(example);
        command.addAll(List.of(arguments));
        return command;
    }
}
