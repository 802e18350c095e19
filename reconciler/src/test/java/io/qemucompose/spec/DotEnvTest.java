package io.qemucompose.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The .env cases of compose-go's dotenv tests that apply to us, written as our own tests. */
class DotEnvTest {
    private static final Path FILE = Path.of("/project/.env");

    private final List<Problem> problems = new ArrayList<>();

    private Map<String, String> parse(String text, Map<String, String> environment) {
        Problems collected = new Problems();
        Map<String, String> values = DotEnv.parse(FILE, text, environment, collected);
        try {
            collected.throwIfAny();
        } catch (ComposeFileException e) {
            problems.addAll(e.problems());
        }
        return values;
    }

    private Map<String, String> parse(String text) {
        return parse(text, Map.of());
    }

    private String value(String line) {
        Map<String, String> values = parse(line);
        assertThat(problems).as("problems of " + line).isEmpty();
        assertThat(values).hasSize(1);
        return values.values().iterator().next();
    }

    @Test
    void laterLinesExpandEarlierKeys() {
        assertThat(parse("FOO=test\nBAR=$FOO\nBAZ=\"${FOO}-x\"\nQUX='$FOO'\n"))
                .containsEntry("BAR", "test").containsEntry("BAZ", "test-x").containsEntry("QUX", "$FOO");
        assertThat(problems).isEmpty();
    }

    @Test
    void theEnvironmentWinsInExpansion() {
        assertThat(parse("FOO=file\nBAR=${FOO}\n", Map.of("FOO", "env"))).containsEntry("BAR", "env");
    }

    @Test
    void defaultsAndAlternativesWorkAsInTheComposeFile() {
        assertThat(parse("EMPTY=\nA=${UNSET:-d}\nB=${EMPTY-d}\nC=${EMPTY:-d}\nD=${A:+alt}\n"))
                .containsEntry("A", "d").containsEntry("B", "").containsEntry("C", "d").containsEntry("D", "alt");
    }

    @Test
    void aRequiredVariableFailsAtItsEnvLine() {
        parse("FOO=1\nBAR=x${NOPE:?set NOPE first}\n");

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.render()).isEqualTo(FILE + ":2:6: BAR: required variable NOPE is unset: set NOPE first");
        });
    }

    @Test
    void quotedValuesMaySpanLines() {
        assertThat(parse("KEY=\"first\nsecond\"\nSINGLE='a\nb'\nNEXT=1\n"))
                .containsEntry("KEY", "first\nsecond").containsEntry("SINGLE", "a\nb").containsEntry("NEXT", "1");
        assertThat(problems).isEmpty();
    }

    @Test
    void keysComposeAccepts() {
        Map<String, String> values = parse("""
                VAR-WITH-DASHES=dashes
                VAR.WITH.DOTS=dots
                OPTION_A: 1
                OPTION_B: Foo=bar
                export OPTION_C=2
                export\tOPTION_D=3
                exportFOO=4
                INHERITED
                NOT_INHERITED
                1DIGIT=ignored
                """, Map.of("INHERITED", "from-env"));

        assertThat(problems).isEmpty();
        assertThat(values).containsExactly(Map.entry("VAR-WITH-DASHES", "dashes"), Map.entry("VAR.WITH.DOTS", "dots"),
                Map.entry("OPTION_A", "1"), Map.entry("OPTION_B", "Foo=bar"), Map.entry("OPTION_C", "2"),
                Map.entry("OPTION_D", "3"), Map.entry("exportFOO", "4"), Map.entry("INHERITED", "from-env"));
    }

    @Test
    void aByteOrderMarkIsSkipped(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve(".env"), ("\uFEFFOPTION_A=1\nOPTION_B=2\n").getBytes(StandardCharsets.UTF_8));
        Problems collected = new Problems();

        assertThat(DotEnv.read(dir, Map.of(), collected)).containsExactly(Map.entry("OPTION_A", "1"),
                Map.entry("OPTION_B", "2"));
        assertThat(collected.isEmpty()).isTrue();
    }

    @Test
    void aFileThatIsNotUtf8NamesTheBadByte(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve(".env"), new byte[] {'A', '=', '1', '\n', 'B', '=', 'x', (byte) 0xE9, '\n'});
        Problems collected = new Problems();
        DotEnv.read(dir, Map.of(), collected);

        try {
            collected.throwIfAny();
        } catch (ComposeFileException e) {
            assertThat(e.getMessage()).isEqualTo(dir.resolve(".env")
                    + ":2:4: is not valid UTF-8: found byte 0xE9; save the file as UTF-8");
            return;
        }
        throw new AssertionError("expected a problem");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "FOO=bar                      | bar",
        "FOO =bar                     | bar",
        "FOO= bar                     | bar",
        "FOO=bar # a comment          | bar",
        "FOO=bar #                    | bar",
        "FOO=123#not-a-comment        | 123#not-a-comment",
        "FOO=\"bar#baz\" # comment    | bar#baz",
        "FOO='bar#baz' # comment      | bar#baz",
        "FOO=\"escaped\\\"bar\"       | escaped\"bar",
        "FOO=\"'d'\"                  | 'd'",
        "FOO=a\\tb                    | a\\tb",
        "FOO='\\n'                    | \\n",
        "FOO=foobar=                  | foobar=",
        "FOO=\"\\x07\"                | \\x07",
        "FOO=\"\\u12e4\"              | \\u12e4",
        "FOO=\"a\\$b\"                | a$b",
        "FOO=\"a$$b\"                 | a$b",
        "FOO='it\\'s'                 | it's",
    })
    void valuesAsComposeReadsThem(String line, String expected) {
        assertThat(value(line.strip())).isEqualTo(expected);
    }

    @Test
    void doubleQuotesTakeShellEscapesAndKeepUnknownOnes() {
        assertThat(value("KEY=\"Z\\aZ\\bZ\\fZ\\nZ\\rZ\\tZ\\vZ\\\\Z\\0123Z\""))
                .isEqualTo("Z\u0007Z\bZ\fZ\nZ\rZ\tZ\u000BZ\\ZSZ");
        assertThat(value("FOO=\"bar\\n\\ b\\az\"")).isEqualTo("bar\n\\ b\u0007z");
        assertThat(value("FOO=\"bar\\\\r\\ b\\az\"")).isEqualTo("bar\\r\\ b\u0007z");
        assertThat(value("FOO=\"bar\\nbaz\\\\\"")).isEqualTo("bar\nbaz\\");
        assertThat(value("FOO=\"\\c \\0 \\012 \\0777\"")).isEqualTo("\\c \\0 \\012 \\0777");
    }

    @ParameterizedTest
    @ValueSource(strings = {"KEY=\"", "KEY=\"value", "KEY=\"value\\\"", "KEY=\"value'", "KEY='", "KEY='value",
        "KEY='value\\'", "KEY='value\""})
    void anUnterminatedQuoteIsAProblemAtTheQuote(String line) {
        parse("A=1\n" + line + "\n");

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.column()).isEqualTo(5);
            assertThat(p.fieldPath()).isEqualTo("KEY");
            assertThat(p.message()).contains("has no closing");
        });
    }

    @Test
    void commentsAndBlankLinesAreIgnored() {
        assertThat(parse("\n\r\n\t\t \n# comment\n\t # indented comment\nA=1\n")).containsExactly(Map.entry("A", "1"));
        assertThat(problems).isEmpty();
    }

    @Test
    void badNamesArePointedAt() {
        parse("A=1\nlol$wut\nkey with space=1\nB=2\n");

        assertThat(problems).extracting(p -> p.line() + ":" + p.column()).containsExactly("2:4", "3:1");
        assertThat(problems.getFirst().message()).contains("unexpected character '$'");
        assertThat(problems.get(1).message()).contains("cannot contain a space");
    }

    @Test
    void aLoneDollarIsRefusedAsInTheComposeFile() {
        parse("PASSWORD=abc$\n");

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line() + ":" + p.column()).isEqualTo("1:13");
            assertThat(p.message()).contains("write '$$' for a literal '$'");
        });
    }
}
