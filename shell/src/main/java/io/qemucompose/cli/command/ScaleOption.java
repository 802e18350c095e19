package io.qemucompose.cli.command;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code --scale VM=N}, docker compose's flag: N instances of VM for this run, whatever its
 * {@code deploy.replicas} says. Not remembered: a later plain {@code up} goes back to the file,
 * as docker compose does.
 */
@Command
final class ScaleOption {
    @Option(names = "--scale", paramLabel = "VM=N", mapFallbackValue = Option.NULL_VALUE,
            description = "Run N instances of VM (VM, VM-2 … VM-N); overrides deploy.replicas. Repeatable.")
    private Map<String, Integer> scale = new LinkedHashMap<>();

    Map<String, Integer> value() {
        return scale == null ? Map.of() : Map.copyOf(scale);
    }
}
