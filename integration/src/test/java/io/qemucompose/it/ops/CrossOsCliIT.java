package io.qemucompose.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.testkit.PrivateSystemdUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Linux and a FreeBSD VM in one file, through the CLI, with nothing booted: {@code up --dry-run}
 * prints both exact command lines and changes nothing; {@code freebsd:14.1} resolves through a
 * releases document on a local server (as GitHub's API would answer), is recorded, kept by later
 * commands and re-resolved only by {@code pull}; {@code run --rm --dry-run freebsd 14.1} prints qvm's line.
 */
class CrossOsCliIT {

    private static final String LATEST = "repos/cross-platform-actions/freebsd-builder/releases/latest";

    @RegisterExtension
    static PrivateSystemdUser systemd = new PrivateSystemdUser();

    @TempDir
    Path home;

    private Cli project(Map<String, String> extraEnv) throws Exception {
        Path dir = Files.createDirectories(home.resolve("cross-os"));
        // the example as shipped, in a folder of the test's own
        Files.copy(examplesDir().resolve("cross-os/qemu-compose.yaml"), dir.resolve("qemu-compose.yaml"));
        Map<String, String> env = new HashMap<>(Cli.environment(systemd.environment(), home));
        env.putAll(extraEnv);
        return new Cli(dir, env);
    }

    @Test
    void upDryRunPrintsBothCommandLinesAndChangesNothing() throws Exception {
        Cli cli = project(Map.of());
        Cli.Run run = cli.run("up", "--dry-run");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("# VM linux (profile linux-x86-64): QEMU command line",
                "# VM freebsd (profile freebsd-x86-64): QEMU command line",
                // qvm's FreeBSD x86-64 driver, with our additions
                "-machine q35", "-cpu max", "-nographic", "-monitor none", "-boot strict=off",
                "-bios /usr/share/seabios/bios-256k.bin", "virtio-net,netdev=net0,addr=0x03,mac=",
                "cache=unsafe,discard=ignore", "/.qemu-compose/freebsd/keys.img",
                // the Linux VM keeps its cloud-init seed, the FreeBSD VM has none
                "/.qemu-compose/linux/cloud-init.iso",
                "Unit=qemu-compose-cross-os-freebsd.service", "KillMode=mixed", "Dry run: nothing was changed.");
        assertThat(run.out()).doesNotContain("/.qemu-compose/freebsd/cloud-init.iso");
        assertThat(cli.cwd().resolve(".qemu-compose")).doesNotExist();
        assertThat(cli.run("ps", "--no-probe").out()).contains("not-created");
    }

    @Test
    void shortImageNameResolvesOnceAndOnlyPullResolvesAgain() throws Exception {
        try (ImageServer server = new ImageServer()) {
            byte[] qcow2 = smallQcow2();
            var v13 = server.put("download/v0.13.1/freebsd-14.1-x86-64.qcow2", qcow2);
            var v14 = server.put("download/v0.14.0/freebsd-14.1-x86-64.qcow2", qcow2);
            server.put(LATEST, release("v0.13.1", v13.toString()));
            String api = "http://127.0.0.1:" + v13.getPort();
            Cli cli = project(Map.of("QEMU_COMPOSE_GITHUB_API", api));

            Cli.Run pull = cli.run("pull", "freebsd");
            assertThat(pull.exitCode()).as(pull.toString()).isZero();
            Path releases = cli.cwd().resolve(".qemu-compose/releases.json");
            assertThat(Files.readString(releases)).contains("\"freebsd:14.1 x86-64\"", v13.toString(), "v0.13.1");

            // a new builder release does not change the VM's image behind its back
            server.put(LATEST, release("v0.14.0", v14.toString()));
            Cli.Run plan = cli.run("plan");
            assertThat(plan.exitCode()).as(plan.toString()).isIn(0, 2);
            assertThat(Files.readString(releases)).contains(v13.toString()).doesNotContain("v0.14.0");

            assertThat(cli.run("pull", "freebsd").exitCode()).isZero();
            assertThat(Files.readString(releases)).contains(v14.toString(), "v0.14.0");

            // a version the builder does not have is a clear error naming the file
            server.put(LATEST, release("v0.14.0", v14.toString()));
            Files.writeString(cli.cwd().resolve("qemu-compose.yaml"), "vms:\n  old:\n    image: freebsd:9.0\n");
            Cli.Run missing = cli.run("pull");
            assertThat(missing.exitCode()).isEqualTo(1);
            assertThat(missing.err()).contains("freebsd-9.0-x86-64.qcow2", "cross-platform-actions/freebsd-builder");
        }
    }

    @Test
    void runRmDryRunPrintsQvmsFreeBsdCommandLineForTheHostArchitecture() throws Exception {
        Cli cli = project(Map.of());
        Cli.Run run = cli.run("run", "--rm", "--dry-run", "--name", "bsd1", "freebsd", "14.1");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("# VM bsd1 (profile freebsd-x86-64)", "qemu-system-x86_64", "-machine q35",
                "-device virtio-blk-pci,drive=disk0,bootindex=0", "+ vm \"bsd1\"", "Dry run: nothing was changed.");
        // qvm's freebsd-x86-64 listing (docs/os-profiles.md says why -machine/-accel, ids and the forward differ),
        // option by option as printed, one a line; our additions (QMP, console, key disk, …) come on top
        List<String> lines = run.out().lines().map(String::strip).map(l -> l.endsWith(" \\")
                ? l.substring(0, l.length() - 2) : l).toList();
        assertThat(lines).contains("-nographic", "-machine q35", "-accel tcg", "-cpu max", "-smp 2", "-m 6144M",
                "-display none", "-monitor none", "-boot strict=off", "-bios /usr/share/seabios/bios-256k.bin",
                "-device virtio-blk-pci,drive=disk0,bootindex=0");
        assertThat(lines).anyMatch(l -> l.matches("-device virtio-net,netdev=net0,addr=0x03,mac=52:54:00(:[0-9a-f]{2}){3}"));
        assertThat(lines).anyMatch(l -> l.matches("-netdev user,id=net0,restrict=on,hostfwd=tcp:127\\.0\\.0\\.1:\\d+-:22"));
        assertThat(lines).anyMatch(l -> l.matches("-drive file=\\S+/run/bsd1/\\.qemu-compose/bsd1/disk\\.qcow2,"
                + "if=none,id=disk0,format=qcow2,cache=unsafe,discard=ignore"));
        assertThat(home.resolve("data/qemu-compose/run")).doesNotExist();
        Cli.Run bad = cli.run("run", "--dry-run", "--platform", "linux/arm64", "haiku", "r1beta5");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("there is no haiku profile for linux/arm64");
    }

    private static byte[] release(String tag, String url) {
        return ("{\"tag_name\": \"" + tag + "\", \"assets\": [{\"name\": \"freebsd-14.1-x86-64.qcow2\", "
                + "\"browser_download_url\": \"" + url + "\"}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private byte[] smallQcow2() throws Exception {
        Path file = home.resolve("small.qcow2");
        Process p = new ProcessBuilder(List.of("qemu-img", "create", "-q", "-f", "qcow2", file.toString(), "16M"))
                .redirectErrorStream(true).start();
        assertThat(p.waitFor()).isZero();
        return Files.readAllBytes(file);
    }

    private static Path examplesDir() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("examples/cross-os"))) {
            dir = dir.getParent();
        }
        assertThat(dir).isNotNull();
        return dir.resolve("examples");
    }
}
