package io.qemucompose.it.lifecycle;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.QemuComposeCli;
import io.qemucompose.driver.systemd.SystemdUserManager;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.spec.Names;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.ProjectState;
import io.qemucompose.state.StateStore;
import io.qemucompose.testkit.CommandResult;
import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.GuestImage;
import io.qemucompose.testkit.PrivateSystemdUser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One compose project in a temp folder, run against a private systemd user manager: writes the
 * compose file, runs the real CLI in-process (or builds the environment for a separate process),
 * and looks at the world the way a user would (system {@code ssh}, D-Bus, files).
 */
final class ComposeProjectFixture {

    static final String USER = "debian"; // the default user for an image whose name contains "debian"

    /**
     * The fault tests' project: {@code keep} (on {@code keepImage}, {@link #blankImage} for the fault
     * tests; it must never be touched by a fault of the other) and
     * {@code subject} (the one faults hit) with the named volume {@code data} of {@code volumeSize}.
     */
    static String keepAndSubject(String volumeSize, Path keepImage) {
        return """
                name: faults
                vms:
                  keep:
                    image: %3$s
                    memory: 384
                  subject:
                    image: %1$s
                    memory: 384
                    volumes:
                      - data:/srv/data
                volumes:
                  data:
                    size: %2$s
                """.formatted(GuestImage.path(), volumeSize, keepImage);
    }

    /**
     * An empty disk for a VM whose only job is to be a QEMU process that a fault must not touch:
     * the firmware finds nothing to boot and idles, so it costs no boot (CI time). In {@code dir},
     * outside any small filesystem a test fills.
     */
    static Path blankImage(Path dir) {
        Path image = dir.resolve("blank.qcow2");
        if (!Files.exists(image)) {
            Commands.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "64M")).orThrow();
        }
        return image;
    }

    private final Path root;
    private final Path projectDir;
    private final String project;
    private final PrivateSystemdUser systemd;
    private final Map<String, String> env;

    ComposeProjectFixture(Path root, String project, PrivateSystemdUser systemd) {
        this.root = root;
        this.project = project;
        this.projectDir = root.resolve(project);
        this.systemd = systemd;
        Map<String, String> e = new HashMap<>(System.getenv());
        e.putAll(systemd.environment());
        e.put("QEMU_COMPOSE_USERNET_RESTRICT", "true");
        e.put("QEMU_COMPOSE_ACCEL", "tcg");
        e.put("XDG_DATA_HOME", root.resolve("xdg-data").toString());
        e.put("XDG_STATE_HOME", root.resolve("xdg-state").toString());
        this.env = Map.copyOf(e);
        try {
            Files.createDirectories(projectDir);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    Path dir() {
        return projectDir;
    }

    Map<String, String> env() {
        return env;
    }

    ProjectLayout layout() {
        return new ProjectLayout(projectDir);
    }

    String unit(String vm) {
        return Names.unitName(project, vm) + ".service";
    }

    /** Writes {@code qemu-compose.yaml} with the given VMs (name → memory in MB), cpu 2, the test image. */
    void writeCompose(Map<String, Integer> memoryByVm) {
        StringBuilder yaml = new StringBuilder("name: " + project + "\nvms:\n");
        new LinkedHashMap<>(memoryByVm).forEach((vm, memory) -> yaml.append("  ").append(vm).append(":\n")
                .append("    image: ").append(GuestImage.path()).append('\n')
                // one vCPU: in CI two or more TCG guests share the two cores, and two guests of one
                // vCPU each reached their login prompt 18 % sooner than two of two (127 s vs 155 s)
                .append("    cpu: 1\n")
                .append("    memory: ").append(memory).append('\n')
                .append("    environment:\n      ROLE: ").append(vm).append('\n')
                .append("    provision:\n      - echo \"$$ROLE provisioned\" > /var/tmp/provisioned\n"));
        try {
            Files.writeString(projectDir.resolve("qemu-compose.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** The real CLI in-process, in the project folder. */
    Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
            code = QemuComposeCli.run(new CommandEnvironment(o, e, env, projectDir, false), args);
        }
        Run run = new Run(code, out.toString(), err.toString());
        System.out.println("$ qemu-compose " + String.join(" ", args) + "\n" + run);
        return run;
    }

    ProjectState state() {
        return new StateStore(layout()).read();
    }

    int sshPort(String vm) {
        return state().vm(vm).map(ProjectState.VmRecord::sshPort)
                .orElseThrow(() -> new AssertionError("no SSH port recorded for " + vm + " in state.json"));
    }

    /** A command in the guest through the system ssh binary, with the project key. */
    CommandResult ssh(String vm, String command) {
        return Commands.run(List.of("ssh", "-i", layout().sshPrivateKey().toString(), "-p",
                Integer.toString(sshPort(vm)), "-o", "BatchMode=yes", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=no", "-o", "ConnectTimeout=15", "-o", "LogLevel=ERROR",
                USER + "@127.0.0.1", command), Duration.ofSeconds(60), null);
    }

    /** The stdout of a command that must succeed in the guest. */
    String sshOut(String vm, String command) {
        CommandResult r = ssh(vm, command);
        if (r.exitCode() != 0) {
            throw new AssertionError("ssh " + vm + " '" + command + "' failed: " + r);
        }
        return r.stdout();
    }

    /** The unit as systemd sees it over D-Bus. */
    UnitStatus unitStatus(String vm) {
        try (SystemdUserManager client = systemd.connect()) {
            return client.unit(unit(vm));
        }
    }

    /** Every unit of this project that systemd knows (loaded), over D-Bus. */
    List<UnitStatus> projectUnits() {
        try (SystemdUserManager client = systemd.connect()) {
            return client.listUnits("qemu-compose-" + project + "-");
        }
    }

    /** Best effort: destroy through the product, whatever state the test left. */
    void destroyQuietly() {
        try {
            cli("destroy");
        } catch (RuntimeException e) {
            System.err.println("cleanup: destroy failed: " + e);
        }
    }

    Path root() {
        return root;
    }
}
