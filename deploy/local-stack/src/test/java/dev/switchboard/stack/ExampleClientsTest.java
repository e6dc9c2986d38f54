package dev.switchboard.stack;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Python example is Python 3.8 code, as its README says.
 *
 * <p>Without the clients' libraries the test is skipped saying what is missing, except in CI (see {@link ExampleClients}).
 */
class ExampleClientsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

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
}
