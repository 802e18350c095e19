package io.qemucompose.shell;

import java.util.List;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.springframework.shell.core.command.CommandArgument;
import org.springframework.shell.core.command.CommandParser;
import org.springframework.shell.core.command.ParsedInput;

/**
 * Splits a typed line into words with JLine's parser (quotes and backslash escapes honoured, as in
 * bash), and hands all words after the command name on untouched as positional arguments. Spring
 * Shell's default parser splits on whitespace and interprets options itself; here picocli does
 * that, exactly as for a one-shot command, so {@code config -f "my file.yaml"} means the same in
 * both places.
 */
public final class WordSplittingCommandParser implements CommandParser {

    private final Parser lineParser;

    public WordSplittingCommandParser(Parser lineParser) {
        this.lineParser = lineParser;
    }

    @Override
    public ParsedInput parse(String input) {
        return toParsedInput(words(input));
    }

    public List<String> words(String input) {
        ParsedLine line = lineParser.parse(input, input.length(), Parser.ParseContext.ACCEPT_LINE);
        return line.words().stream().filter(word -> !word.isEmpty()).toList();
    }

    static ParsedInput toParsedInput(List<String> words) {
        var builder = ParsedInput.builder().commandName(words.isEmpty() ? "" : words.getFirst());
        for (int i = 1; i < words.size(); i++) {
            builder.addArgument(new CommandArgument(i - 1, words.get(i)));
        }
        return builder.build();
    }
}
