package io.qemucompose.spec;

import io.qemucompose.spec.SourceNode.MapNode;
import io.qemucompose.spec.SourceNode.SeqNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code healthcheck:} as docker compose writes it. {@code test} is a string (run by the guest's
 * shell), {@code [CMD-SHELL, "cmd"]}, {@code [CMD, arg, ...]} or {@code [NONE]};
 * {@code disable: true} or {@code [NONE]} mean no healthcheck.
 */
final class HealthcheckReader {
    private final Fields fields;

    HealthcheckReader(Fields fields) {
        this.fields = fields;
    }

    Optional<Healthcheck> read(MapNode vm, String vmPath) {
        Optional<SourceNode> node = Fields.get(vm, "healthcheck");
        String path = vmPath + ".healthcheck";
        if (node.isEmpty() || Fields.isNull(node.get())) {
            return Optional.empty();
        }
        MapNode map = fields.map(node.get(), path, "a mapping with 'test'");
        if (map == null) {
            return Optional.empty();
        }
        fields.onlyKeys(map, path, VmParts.HEALTHCHECK_KEYS);
        Boolean disable = Fields.get(map, "disable").map(n -> fields.bool(n, path + ".disable")).orElse(false);
        Duration interval = duration(map, path, "interval", Healthcheck.DEFAULT_INTERVAL);
        Duration timeout = duration(map, path, "timeout", Healthcheck.DEFAULT_TIMEOUT);
        Duration startPeriod = duration(map, path, "start_period", Duration.ZERO);
        Integer retries = Fields.get(map, "retries")
                .map(n -> fields.integer(n, path + ".retries", 1, 1000, "a number of retries")).orElse(Healthcheck.DEFAULT_RETRIES);
        if (Boolean.TRUE.equals(disable)) {
            return Optional.empty();
        }
        Optional<SourceNode> testNode = Fields.get(map, "test");
        if (testNode.isEmpty()) {
            fields.problem(map.pos(), path + ".test", "missing, expected a command (string or [CMD, ...] list)");
            return Optional.empty();
        }
        String testPath = path + ".test";
        List<String> argv = new ArrayList<>();
        boolean shell;
        if (testNode.get() instanceof SeqNode list) {
            for (int i = 0; i < list.items().size(); i++) {
                argv.add(fields.text(list.items().get(i), Fields.index(testPath, i), "a string"));
            }
            if (argv.contains(null)) {
                return Optional.empty();
            }
            String kind = argv.isEmpty() ? "" : argv.removeFirst();
            switch (kind) {
                case "NONE" -> {
                    return Optional.empty();
                }
                case "CMD" -> shell = false;
                case "CMD-SHELL" -> {
                    shell = true;
                    if (argv.size() != 1) {
                        fields.problem(list.pos(), testPath, "found " + argv.size()
                                + " arguments after CMD-SHELL, expected exactly one command line");
                        return Optional.empty();
                    }
                }
                default -> {
                    fields.problem(list.pos(), testPath, "found '" + kind
                            + "' first, expected CMD, CMD-SHELL or NONE" + Suggestions.didYouMean(kind,
                                    List.of("CMD", "CMD-SHELL", "NONE")));
                    return Optional.empty();
                }
            }
            if (argv.isEmpty()) {
                fields.problem(list.pos(), testPath, "found no command after " + kind);
                return Optional.empty();
            }
        } else {
            String command = fields.text(testNode.get(), testPath, "a command (string or [CMD, ...] list)");
            if (command == null) {
                return Optional.empty();
            }
            argv.add(command);
            shell = true;
        }
        if (interval == null || timeout == null || startPeriod == null || retries == null || disable == null) {
            return Optional.empty();
        }
        return Optional.of(new Healthcheck(argv, shell, interval, timeout, retries, startPeriod));
    }

    private Duration duration(MapNode map, String path, String key, Duration fallback) {
        Optional<SourceNode> node = Fields.get(map, key);
        if (node.isEmpty()) {
            return fallback;
        }
        Duration d = fields.duration(node.get(), path + "." + key);
        if (d != null && d.isZero() && !key.equals("start_period")) {
            fields.problem(node.get().pos(), path + "." + key, "found a zero duration, expected one above zero");
            return null;
        }
        return d;
    }
}
