package io.qemucompose.daemon;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The daemon's settings, bound by Spring Boot from its command line ({@code
 * --qemucompose.watch.files=/abs/a.yaml,/abs/b.yaml --qemucompose.watch.remove-orphans=true}), as
 * {@code watch --detach} writes it into the unit's ExecStart.
 *
 * @param files        compose files, absolute (empty: QEMU_COMPOSE_FILE or the defaults in the working directory)
 * @param projectName  the {@code -p} value, if any
 * @param profiles     the {@code --profile} values (empty: QEMU_COMPOSE_PROFILES, passed in the unit's environment)
 */
@ConfigurationProperties("qemucompose.watch")
public record WatchProperties(@DefaultValue List<String> files, String projectName,
        @DefaultValue("false") boolean removeOrphans, @DefaultValue("30s") Duration resync,
        @DefaultValue List<String> profiles) {
}
