package io.qemucompose.cli.command;

import io.qemucompose.apply.VmSnapshots;
import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.driver.Drivers;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.ProjectLock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code qemu-compose snapshot save|restore|ls|rm}: qcow2 internal snapshots of a VM's disk, its
 * writable named volumes and its RAM, taken and restored without a reboot (docs/snapshots.md).
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = "Save, restore, list and remove snapshots of running VMs (disk, named volumes and RAM together).",
        subcommands = {SnapshotCommand.Save.class, SnapshotCommand.Restore.class, SnapshotCommand.Ls.class,
                SnapshotCommand.Rm.class})
public final class SnapshotCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing snapshot command (save, restore, ls or rm).");
    }

    private interface Operation {
        void run(VmSnapshots snapshots) throws Exception;
    }

    /** Runs one operation under the project lock (an `up` must not start or stop the VM meanwhile). */
    static int run(CommandEnvironment env, ComposeProject project, Operation operation) throws Exception {
        ProjectLayout layout = new ProjectLayout(project.projectDir());
        try (Drivers drivers = Drivers.forUser(env.env());
                ProjectLock.Held lock = java.nio.file.Files.isDirectory(layout.stateDir())
                        ? ProjectLock.acquire(layout.lockFile(), java.time.Duration.ofMinutes(2)) : () -> { }) {
            operation.run(new VmSnapshots(project, drivers, line -> env.out().println(line)));
            return ExitCode.OK;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
    }

    /** The shape save, restore and rm share: a VM, a snapshot name, one operation under the lock. */
    abstract static class OnNamedSnapshot implements Callable<Integer> {
        private final CommandEnvironment env;
        @Mixin
        private ProjectLoading project;
        @Parameters(index = "0", paramLabel = "VM")
        private String vm;
        @Parameters(index = "1", paramLabel = "NAME", description = "1-64 letters, digits, '.', '_', '-'.")
        private String name;

        OnNamedSnapshot(CommandEnvironment env) {
            this.env = env;
        }

        abstract void apply(VmSnapshots snapshots, String vm, String name) throws Exception;

        @Override
        public final Integer call() throws Exception {
            return run(env, project.load(List.of(vm)), s -> apply(s, vm, name));
        }
    }

    @Command(name = "save", mixinStandardHelpOptions = true,
            description = "Snapshot a running VM: its disk, writable named volumes and RAM; it keeps running.")
    static final class Save extends OnNamedSnapshot {
        Save(CommandEnvironment env) {
            super(env);
        }

        @Override
        void apply(VmSnapshots snapshots, String vm, String name) throws Exception {
            snapshots.save(vm, name);
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Put a running VM back to a snapshot (disk, named volumes, RAM) without a reboot.")
    static final class Restore extends OnNamedSnapshot {
        Restore(CommandEnvironment env) {
            super(env);
        }

        @Override
        void apply(VmSnapshots snapshots, String vm, String name) throws Exception {
            snapshots.restore(vm, name);
        }
    }

    @Command(name = "rm", aliases = "remove", mixinStandardHelpOptions = true,
            description = "Remove a snapshot (from the disk and the named volumes), running or not.")
    static final class Rm extends OnNamedSnapshot {
        Rm(CommandEnvironment env) {
            super(env);
        }

        @Override
        void apply(VmSnapshots snapshots, String vm, String name) throws Exception {
            snapshots.remove(vm, name);
        }
    }

    @Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true,
            description = "List snapshots: VM, NAME, RAM size, when taken, the guest's uptime then.")
    static final class Ls implements Callable<Integer> {
        private static final DateTimeFormatter TAKEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                .withZone(ZoneId.systemDefault());
        private final CommandEnvironment env;
        @Mixin
        private ProjectLoading project;
        @Parameters(paramLabel = "VM", arity = "0..1", description = "Only this VM (default: all).")
        private String vm;
        @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT", description = "text (default) or json.")
        private InspectCommand.Format format;

        Ls(CommandEnvironment env) {
            this.env = env;
        }

        @Override
        public Integer call() throws Exception {
            ComposeProject compose = vm == null ? project.load() : project.load(List.of(vm));
            List<String> vms = vm == null ? List.copyOf(compose.vms().keySet()) : VmSelection.of(compose, List.of(vm));
            return run(env, compose, s -> {
                List<VmSnapshots.Snapshot> all = new ArrayList<>();
                for (String v : vms) {
                    all.addAll(s.list(v));
                }
                if (format == InspectCommand.Format.json) {
                    List<Object> out = new ArrayList<>();
                    for (VmSnapshots.Snapshot snap : all) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("vm", snap.vm());
                        m.put("name", snap.name());
                        m.put("ram_bytes", snap.ramBytes());
                        m.put("created", snap.created().toString());
                        m.put("guest_uptime_seconds", snap.guestUptime().toSeconds());
                        out.add(m);
                    }
                    env.out().print(JsonOutput.write(out));
                    return;
                }
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"VM", "NAME", "RAM", "TAKEN", "GUEST UPTIME"});
                for (VmSnapshots.Snapshot snap : all) {
                    rows.add(new String[] {snap.vm(), snap.name(), HumanSizes.of(snap.ramBytes()),
                            TAKEN.format(snap.created()), snap.guestUptime().toSeconds() + " s"});
                }
                env.out().print(TextTable.render(rows));
            });
        }
    }
}
