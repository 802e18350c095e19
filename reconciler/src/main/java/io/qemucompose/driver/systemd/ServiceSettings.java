package io.qemucompose.driver.systemd;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Settings a loaded service was started with, as systemd reports them back: its
 * {@code Environment=} (as {@code KEY=VALUE} pairs) and {@code WorkingDirectory=}.
 */
public record ServiceSettings(Map<String, String> environment, Optional<Path> workingDirectory) {

    public static final ServiceSettings UNKNOWN = new ServiceSettings(Map.of(), Optional.empty());

    public ServiceSettings {
        environment = Map.copyOf(environment);
    }
}
