package io.qemucompose.driver.qemu;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A guest's virtual CPUs over QMP: frozen ({@code stop}, docker's pause) or running ({@code cont}).
 * QEMU keeps the guest's memory and devices as they are while paused; its clock stops too. Each
 * call is one short QMP connection, since QEMU serves one QMP client at a time.
 */
public final class GuestCpus {

    private GuestCpus() {}

    /** The run state, or empty when QMP cannot answer now (no socket, QEMU gone, another client connected). */
    public static Optional<RunState> state(Path qmpSocket, Duration timeout) {
        if (!Files.exists(qmpSocket)) {
            return Optional.empty();
        }
        try (QmpClient qmp = QmpClient.connect(qmpSocket, timeout)) {
            return Optional.of(qmp.queryStatus());
        } catch (QmpException e) {
            return Optional.empty();
        }
    }

    /** Freezes the CPUs; returns the state before (PAUSED when it already was). */
    public static RunState pause(Path qmpSocket, Duration timeout) {
        try (QmpClient qmp = QmpClient.connect(qmpSocket, timeout)) {
            RunState before = qmp.queryStatus();
            if (before != RunState.PAUSED) {
                qmp.stop();
            }
            return before;
        }
    }

    /** Thaws the CPUs; returns the state before (RUNNING when they were not frozen). */
    public static RunState resume(Path qmpSocket, Duration timeout) {
        try (QmpClient qmp = QmpClient.connect(qmpSocket, timeout)) {
            RunState before = qmp.queryStatus();
            if (before == RunState.PAUSED) {
                qmp.cont();
            }
            return before;
        }
    }
}
