package io.qemucompose.driver.systemd;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A transient service to start through the systemd user manager (what {@code systemd-run --user}
 * would create). Build with {@link #service(String, List)}.
 *
 * @param execStart        argv; argv[0] must be an absolute path (systemd does no PATH lookup here)
 * @param collectMode      {@code inactive-or-failed} by default, so a stopped or failed unit is
 *                         unloaded and its name can be reused at once
 * @param timeoutStop      how long systemd waits after the stop signal before SIGKILL
 * @param extraProperties  further properties, for what this record does not model yet
 * @param execStartPre     commands run before {@code execStart}, in order
 * @param execStopPost     commands run after the main process is gone (also after a failed start)
 */
public record TransientUnit(
        String name,
        String description,
        List<String> execStart,
        Optional<Path> workingDirectory,
        Map<String, String> environment,
        Optional<OutputTarget> standardOutput,
        Optional<OutputTarget> standardError,
        String type,
        KillMode killMode,
        Optional<Integer> killSignal,
        Optional<Duration> timeoutStop,
        boolean sendSigkill,
        String collectMode,
        List<RawProperty> extraProperties,
        List<ControlCommand> execStartPre,
        List<ControlCommand> execStopPost) {

    /** A property this record does not model, with its D-Bus signature (e.g. "b", "s", "as", "t"). */
    public record RawProperty(String name, String signature, Object value) {
    }

    public TransientUnit {
        Objects.requireNonNull(name, "name");
        if (!name.endsWith(".service") || name.length() <= ".service".length() || name.contains("/")) {
            throw new IllegalArgumentException("a transient unit name must look like <name>.service: " + name);
        }
        if (execStart.isEmpty() || !execStart.getFirst().startsWith("/")) {
            throw new IllegalArgumentException("ExecStart needs an absolute program path, got " + execStart);
        }
        execStart = List.copyOf(execStart);
        environment = Map.copyOf(environment);
        extraProperties = List.copyOf(extraProperties);
        execStartPre = List.copyOf(execStartPre);
        execStopPost = List.copyOf(execStopPost);
    }

    /** A unit with no commands besides its main process. */
    public TransientUnit(String name, String description, List<String> execStart, Optional<Path> workingDirectory,
            Map<String, String> environment, Optional<OutputTarget> standardOutput,
            Optional<OutputTarget> standardError, String type, KillMode killMode, Optional<Integer> killSignal,
            Optional<Duration> timeoutStop, boolean sendSigkill, String collectMode, List<RawProperty> extraProperties) {
        this(name, description, execStart, workingDirectory, environment, standardOutput, standardError, type,
                killMode, killSignal, timeoutStop, sendSigkill, collectMode, extraProperties, List.of(), List.of());
    }

    public static Builder service(String name, List<String> execStart) {
        return new Builder(name, execStart);
    }

    public static final class Builder {
        private final String name;
        private final List<String> execStart;
        private String description;
        private Path workingDirectory;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private OutputTarget standardOutput;
        private OutputTarget standardError;
        private String type = "exec";
        private KillMode killMode = KillMode.CONTROL_GROUP;
        private Integer killSignal;
        private Duration timeoutStop;
        private boolean sendSigkill = true;
        private String collectMode = "inactive-or-failed";
        private final List<RawProperty> extra = new ArrayList<>();
        private final List<ControlCommand> execStartPre = new ArrayList<>();
        private final List<ControlCommand> execStopPost = new ArrayList<>();

        private Builder(String name, List<String> execStart) {
            this.name = name;
            this.execStart = List.copyOf(execStart);
            this.description = name;
        }

        public Builder description(String description) { this.description = description; return this; }
        public Builder workingDirectory(Path dir) { this.workingDirectory = dir.toAbsolutePath(); return this; }
        public Builder environment(String key, String value) { environment.put(key, value); return this; }
        public Builder environment(Map<String, String> env) { environment.putAll(env); return this; }
        public Builder standardOutput(OutputTarget target) { this.standardOutput = target; return this; }
        public Builder standardError(OutputTarget target) { this.standardError = target; return this; }
        /** Type=: "exec" (default: started once the binary was executed), "simple", "forking", "notify", "oneshot". */
        public Builder type(String type) { this.type = type; return this; }
        public Builder killMode(KillMode mode) { this.killMode = mode; return this; }
        public Builder killSignal(int signal) { this.killSignal = signal; return this; }
        public Builder timeoutStop(Duration timeout) { this.timeoutStop = timeout; return this; }
        public Builder sendSigkill(boolean send) { this.sendSigkill = send; return this; }
        /** CollectMode=: "inactive" or "inactive-or-failed" (default). */
        public Builder collectMode(String mode) { this.collectMode = mode; return this; }
        public Builder property(String name, String signature, Object value) {
            extra.add(new RawProperty(name, signature, value));
            return this;
        }

        public Builder execStartPre(ControlCommand command) { execStartPre.add(command); return this; }
        public Builder execStopPost(ControlCommand command) { execStopPost.add(command); return this; }

        public TransientUnit build() {
            return new TransientUnit(name, description, execStart, Optional.ofNullable(workingDirectory),
                    environment, Optional.ofNullable(standardOutput), Optional.ofNullable(standardError),
                    type, killMode, Optional.ofNullable(killSignal), Optional.ofNullable(timeoutStop),
                    sendSigkill, collectMode, extra, execStartPre, execStopPost);
        }
    }
}
