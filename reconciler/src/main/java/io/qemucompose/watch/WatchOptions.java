package io.qemucompose.watch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How to find the project and how eagerly to watch it.
 *
 * @param fileFlags    the {@code -f} values (empty: QEMU_COMPOSE_FILE, else the default names in {@code cwd})
 * @param environment  the process environment (interpolation, drivers)
 * @param removeOrphans destroy instances whose VM left the file
 * @param resync       a full pass at least this often, whatever the events say
 * @param quiet        debounce: a pass once no event came for this long
 * @param maxDelay     debounce: a pass at the latest this long after a burst began
 * @param mode         {@code foreground} or {@code detached}, for {@code status}
 * @param profiles     the {@code --profile} values (empty: QEMU_COMPOSE_PROFILES from the environment or
 *                     {@code .env}, read again on every pass as the rest of the file is)
 */
public record WatchOptions(List<String> fileFlags, Path cwd, Optional<String> projectName,
        Map<String, String> environment, boolean removeOrphans, Duration resync, Duration quiet,
        Duration maxDelay, RetryPolicy retry, String mode, List<String> profiles) {

    public WatchOptions {
        fileFlags = List.copyOf(fileFlags);
        environment = Map.copyOf(environment);
        profiles = List.copyOf(profiles);
    }

    public WatchOptions(List<String> fileFlags, Path cwd, Optional<String> projectName, Map<String, String> environment,
            boolean removeOrphans, Duration resync, Duration quiet, Duration maxDelay, RetryPolicy retry, String mode) {
        this(fileFlags, cwd, projectName, environment, removeOrphans, resync, quiet, maxDelay, retry, mode, List.of());
    }

    /** The same options with {@code --profile} values. */
    public WatchOptions withProfiles(List<String> names) {
        return new WatchOptions(fileFlags, cwd, projectName, environment, removeOrphans, resync, quiet, maxDelay,
                retry, mode, names);
    }

    public static final Duration DEFAULT_RESYNC = Duration.ofSeconds(30);
    public static final Duration DEFAULT_QUIET = Duration.ofMillis(100);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(1);

    public static WatchOptions of(List<String> fileFlags, Path cwd, Optional<String> projectName,
            Map<String, String> environment, boolean removeOrphans, Duration resync, String mode) {
        return new WatchOptions(fileFlags, cwd, projectName, environment, removeOrphans, resync, DEFAULT_QUIET,
                DEFAULT_MAX_DELAY, RetryPolicy.defaults(), mode);
    }
}
