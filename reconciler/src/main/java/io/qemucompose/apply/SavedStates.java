package io.qemucompose.apply;

import io.qemucompose.desired.GuestMounts;
import io.qemucompose.driver.qemu.GuestAgentClient;
import io.qemucompose.driver.qemu.GuestAgentException;
import io.qemucompose.driver.qemu.GuestShareMounts;
import io.qemucompose.driver.qemu.MigrationStream;
import io.qemucompose.driver.qemu.QmpClient;
import io.qemucompose.driver.qemu.QmpException;
import io.qemucompose.driver.qemu.RunState;
import io.qemucompose.spec.VmSpec;
import io.qemucompose.state.ProjectLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Suspend and resume: a running VM's RAM and device state saved next to its disk, and loaded into
 * a QEMU of the same machine that waits for it ({@code -incoming defer}).
 *
 * <p>The state is written under a temporary name and renamed only once QEMU reported success and
 * the writer has it on disk, so a crash during the save leaves the VM running (or, if QEMU
 * finished on its own, paused after migration, which {@code unpause} continues) and never a
 * half-written state that {@code up} would load.
 */
public final class SavedStates {

    static final Duration SAVE_TIMEOUT = Duration.ofMinutes(5);
    static final Duration LOAD_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration QMP_CONNECT = Duration.ofSeconds(15);
    private static final Duration AGENT_CONNECT = Duration.ofSeconds(30);

    private final ProjectLayout layout;
    private final Consumer<String> progress;

    public SavedStates(ProjectLayout layout, Consumer<String> progress) {
        this.layout = layout;
        this.progress = progress;
    }

    /** Saves the state of the running VM {@code vm} and ends its QEMU; returns the state's size in bytes. */
    long suspend(String vm, VmSpec spec) {
        long start = System.nanoTime();
        Path part = layout.savedStatePart(vm);
        Path written = layout.savedStateWritten(vm);
        Path state = layout.savedState(vm);
        deleteIfExists(part);
        deleteIfExists(written);
        List<GuestShareMounts.Mount> mounts = mounts(spec);
        try (QmpClient qmp = QmpClient.connect(layout.reachableSocket(layout.qmpSocket(vm)), QMP_CONNECT)) {
            try (SharesAway away = sharesAway(vm, spec, mounts, "suspend")) {
                try {
                    MigrationStream.save(qmp, MigrationStream.writerCommand(ProjectLayout.SAVED_STATE_PART,
                            ProjectLayout.SAVED_STATE_WRITTEN), SAVE_TIMEOUT);
                    awaitFile(written, Duration.ofSeconds(60));
                } catch (RuntimeException e) {
                    deleteIfExists(part);
                    deleteIfExists(written);
                    throw new IllegalStateException("cannot suspend " + vm + ": " + e.getMessage() + "; it keeps running", e);
                }
                Files.move(part, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                fsyncDir(state.getParent());
                deleteIfExists(written);
                away.keepUnmounted(); // the guest in the file has them unmounted; resume mounts them again
            }
            qmp.quit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the saved state of " + vm + " at " + state, e);
        }
        long size = sizeOf(state);
        progress.accept(vm + ": suspended (" + size / (1 << 20) + " MiB of state saved in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) / 100 / 10.0 + " s)");
        return size;
    }

    /**
     * Loads the saved state into the QEMU just started with {@code -incoming defer}, lets the CPUs
     * run, deletes the state (the disk moves on from here), sets the clock and mounts the shares.
     */
    void resume(String vm, VmSpec spec) {
        long start = System.nanoTime();
        Path state = layout.savedState(vm);
        try (QmpClient qmp = QmpClient.connect(layout.reachableSocket(layout.qmpSocket(vm)), QMP_CONNECT)) {
            if (qmp.queryStatus() == RunState.INMIGRATE) {
                MigrationStream.load(qmp, MigrationStream.readerCommand(ProjectLayout.SAVED_STATE), LOAD_TIMEOUT);
            }
            if (qmp.queryStatus() != RunState.RUNNING) {
                qmp.cont();
            }
        } catch (QmpException e) {
            throw new IllegalStateException("cannot resume " + vm + " from its saved state (" + e.getMessage()
                    + "); the state is kept in " + state + ": delete it to boot " + vm + " afresh instead", e);
        }
        deleteIfExists(state);
        progress.accept(vm + ": resumed in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) / 100 / 10.0 + " s");
        afterWake(vm, spec, mounts(spec));
    }

    /** After a resume or a snapshot load: the guest's clock is old and its shares are unmounted. */
    void afterWake(String vm, VmSpec spec, List<GuestShareMounts.Mount> mounts) {
        Path socket = layout.reachableSocket(layout.guestAgentSocket(vm));
        try (GuestAgentClient agent = GuestAgentClient.connect(socket, AGENT_CONNECT)) {
            GuestShareMounts guest = new GuestShareMounts(agent);
            guest.setClock(Instant.now());
            List<String> problems = guest.mountAll(mounts);
            if (!problems.isEmpty()) {
                progress.accept(vm + ": could not mount again: " + String.join("; ", problems));
            }
        } catch (GuestAgentException e) {
            progress.accept(vm + ": the guest agent does not answer (" + e.getMessage() + "); the guest clock is"
                    + " behind by the time it was saved" + (mounts.isEmpty() ? "" : " and its 9p shares are not mounted"));
        }
    }

    /** The 9p shares the guest mounts by itself, to mount again after a wake-up. */
    static List<GuestShareMounts.Mount> mounts(VmSpec spec) {
        return GuestMounts.of(spec).shares().stream().filter(GuestMounts.Share9p::automount)
                .map(s -> new GuestShareMounts.Mount(s.tag(), s.target(), s.options())).toList();
    }

    /**
     * Unmounts the VM's 9p shares in the guest for as long as it is open; closing mounts them again
     * unless {@link #keepUnmounted} was called (the state was saved with them unmounted).
     */
    SharesAway sharesAway(String vm, VmSpec spec, List<GuestShareMounts.Mount> mounts, String verb) {
        if (GuestMounts.of(spec).shares().isEmpty()) {
            return new SharesAway(Optional.empty(), mounts);
        }
        GuestAgentClient agent;
        try {
            agent = GuestAgentClient.connect(layout.reachableSocket(layout.guestAgentSocket(vm)), AGENT_CONNECT);
        } catch (GuestAgentException e) {
            throw new IllegalStateException("cannot " + verb + " " + vm + ": QEMU refuses while 9p shares are mounted,"
                    + " and the guest agent that would unmount them does not answer (" + e.getMessage()
                    + "); install qemu-guest-agent in the image, or remove the bind mounts");
        }
        try {
            new GuestShareMounts(agent).unmountAll(mounts);
        } catch (GuestAgentException e) {
            agent.close();
            throw new IllegalStateException("cannot " + verb + " " + vm + ": " + e.getMessage(), e);
        }
        return new SharesAway(Optional.of(agent), mounts);
    }

    static final class SharesAway implements AutoCloseable {
        private final Optional<GuestAgentClient> agent;
        private final List<GuestShareMounts.Mount> mounts;
        private boolean remount = true;

        SharesAway(Optional<GuestAgentClient> agent, List<GuestShareMounts.Mount> mounts) {
            this.agent = agent;
            this.mounts = mounts;
        }

        void keepUnmounted() {
            remount = false;
        }

        @Override
        public void close() {
            agent.ifPresent(a -> {
                try {
                    if (remount) {
                        new GuestShareMounts(a).mountAll(mounts);
                    }
                } finally {
                    a.close();
                }
            });
        }
    }

    /** A polled condition with a deadline: the writer in the guest's QEMU says it is done by creating the file. */
    private static void awaitFile(Path file, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the saved state was not on disk within " + timeout.toSeconds() + " s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private static void fsyncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    static void deleteIfExists(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }
}
