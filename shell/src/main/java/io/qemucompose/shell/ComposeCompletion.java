package io.qemucompose.shell;

import io.qemucompose.spec.ComposeFiles;
import io.qemucompose.spec.ComposeLoader;
import io.qemucompose.spec.ComposeProject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.shell.core.command.completion.CompletionContext;
import org.springframework.shell.core.command.completion.CompletionProposal;
import org.springframework.shell.core.command.completion.CompletionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Tab completion for one command: values of an option come from picocli's completion candidates
 * (enums such as {@code --format yaml|json}); positional parameters labelled {@code VM} complete
 * to the VM names of the compose file the line refers to ({@code -f} on the line, else
 * QEMU_COMPOSE_FILE, else the file in the current folder).
 */
public final class ComposeCompletion implements CompletionProvider {

    private final Supplier<CommandSpec> spec;
    private final Map<String, String> env;
    private final Path cwd;

    public ComposeCompletion(Supplier<CommandSpec> spec, Map<String, String> env, Path cwd) {
        this.spec = spec;
        this.env = env;
        this.cwd = cwd;
    }

    @Override
    public List<CompletionProposal> apply(CompletionContext context) {
        List<String> words = context.getWords();
        String current = context.currentWord() == null ? "" : context.currentWord();
        Optional<OptionSpec> option = optionAwaitingValue(words, context.getWordIndex());
        List<String> values;
        if (option.isPresent()) {
            values = candidates(option.get());
        } else if (current.startsWith("-") || !takesVmNames()) {
            values = List.of();
        } else {
            values = vmNames(fileFlags(words));
        }
        return values.stream().filter(v -> v.startsWith(current)).map(CompletionProposal::new).toList();
    }

    private Optional<OptionSpec> optionAwaitingValue(List<String> words, int wordIndex) {
        if (wordIndex < 1 || wordIndex > words.size()) {
            return Optional.empty();
        }
        OptionSpec option = spec.get().findOption(words.get(wordIndex - 1));
        return option != null && option.arity().max() > 0 ? Optional.of(option) : Optional.empty();
    }

    private static List<String> candidates(OptionSpec option) {
        var values = new ArrayList<String>();
        if (option.completionCandidates() != null) {
            option.completionCandidates().forEach(values::add);
        }
        return values;
    }

    private boolean takesVmNames() {
        return spec.get().positionalParameters().stream().map(PositionalParamSpec::paramLabel).anyMatch("VM"::equals);
    }

    static List<String> fileFlags(List<String> words) {
        var files = new ArrayList<String>();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if ((word.equals("-f") || word.equals("--file")) && i + 1 < words.size()) {
                files.add(words.get(i + 1));
            } else if (word.startsWith("--file=")) {
                files.add(word.substring("--file=".length()));
            } else if (word.startsWith("-f=")) {
                files.add(word.substring(3));
            }
        }
        return files;
    }

    private List<String> vmNames(List<String> fileFlags) {
        try {
            ComposeProject project = new ComposeLoader(env).load(ComposeFiles.locate(fileFlags, env, cwd), Optional.empty());
            return List.copyOf(project.vms().keySet());
        } catch (Exception unusable) {
            // an invalid or missing file simply offers nothing; `config` explains what is wrong
            return List.of();
        }
    }
}
