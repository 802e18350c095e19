package io.qemucompose.cli;

import java.util.List;
import java.util.Optional;

/** The options every command accepts: which compose file(s), which project, how verbose. */
public interface GlobalOptions {

    /** {@code -f} values in the order given; empty means "use QEMU_COMPOSE_FILE or the default". */
    List<String> files();

    Optional<String> projectName();

    /** {@code --profile} values in the order given; empty means "use QEMU_COMPOSE_PROFILES". */
    List<String> profiles();

    boolean debug();
}
