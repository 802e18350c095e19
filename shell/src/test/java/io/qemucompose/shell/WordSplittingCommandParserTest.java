package io.qemucompose.shell;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.shell.core.command.CommandArgument;
import org.springframework.shell.jline.ExtendedDefaultParser;

class WordSplittingCommandParserTest {

    private final WordSplittingCommandParser parser = new WordSplittingCommandParser(new ExtendedDefaultParser());

    @Test
    void quotedWordsStayOneArgumentWithTheirSpaces() {
        var parsed = parser.parse("config -f \"my file.yaml\" --vms");
        assertThat(parsed.commandName()).isEqualTo("config");
        assertThat(parsed.arguments()).extracting(CommandArgument::value)
                .containsExactly("-f", "my file.yaml", "--vms");
        assertThat(parsed.options()).isEmpty();
    }

    @Test
    void singleQuotesAndEscapedSpacesWorkAsInBash() {
        assertThat(parser.words("config -f 'a b.yaml' -p my\\ proj"))
                .containsExactly("config", "-f", "a b.yaml", "-p", "my proj");
    }
}
