package io.qemucompose.it.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.state.ProjectLayout;
import io.qemucompose.testkit.CommandResult;
import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.GuestImage;
import io.qemucompose.testkit.PrivateSystemdUser;
import io.qemucompose.testkit.TestUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14 end to end: a new unprivileged user (uid ≥ 1001, no capability) with a systemd user
 * manager of their own runs the product's CLI as themselves on the real guest. Two VMs on a bridge
 * network (rootless mode: the project's own user + network namespace, held by a user unit), a
 * read-write bind mount and a named volume: {@code doctor} names the mode; {@code up} of both;
 * QEMU runs as the user; the guest's login user has the host user's uid, writes into the share and
 * the file is the host user's; the volume is the login user's; web pings db by name over the
 * bridge; {@code ps}, {@code ssh}, {@code stop} (its TAP and relay go), {@code destroy} (the
 * namespace goes); no link ever appears in the host's namespace, and nothing under the user's
 * folder belongs to anyone else. The user's {@code /dev/net/tun} is a 0666 node bind-mounted in
 * the manager's private mount namespace ({@link PrivateSystemdUser#withTunDevice()}): stock
 * Debian's mode, this machine's device unchanged.
 */
class AsANormalUserIT {

    private static final String PROJECT = "asuser";

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void aNormalUsersVmsShareABridgeAndWriteIntoTheShareAsThatUser() throws Exception {
        try (var systemd = PrivateSystemdUser.forNewUser().withTunDevice()) {
            systemd.start();
            TestUser user = systemd.user();
            Path home = user.home();
            // the test runs as root with its jars under /root (0700): the user gets copies it can read
            // without logback (the test's, not the one-shot launcher's): slf4j-simple and its quiet
            // settings, as ./qemu-compose has
            String classpath = String.join(":",
                    ReadableClasspath.copy(home.resolve("cp"), entry -> !entry.contains("logback")));
            Path image = Files.createDirectories(home.resolve("images")).resolve("debian-12.qcow2");
            Files.copy(GuestImage.path(), image, StandardCopyOption.REPLACE_EXISTING);
            Path project = Files.createDirectories(home.resolve("proj"));
            Files.createDirectories(project.resolve("share"));
            Files.writeString(project.resolve("qemu-compose.yaml"), """
                    name: %s
                    vms:
                      web:
                        image: %s
                        memory: 768
                        cpu: 1
                        networks: [back]
                        volumes:
                          - ./share:/mnt/share
                          - data:/srv/data
                      db:
                        image: %s
                        memory: 640
                        cpu: 1
                        networks: [back]
                    networks:
                      back: {}
                    volumes:
                      data:
                        size: 64M
                    """.formatted(PROJECT, image, image));
            user.chown(home);

            Map<String, String> env = new HashMap<>(systemd.environment());
            env.put("QEMU_COMPOSE_USERNET_RESTRICT", "true");
            env.put("QEMU_COMPOSE_ACCEL", "tcg");
            env.put("PATH", "/usr/local/bin:/usr/bin:/bin"); // a normal user's: no sbin
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Cli cli = (deadline, args) -> {
                List<String> argv = new ArrayList<>(List.of(java, "-cp", classpath, "io.qemucompose.cli.Main"));
                argv.addAll(List.of(args));
                // in the manager's mount namespace (its /dev/net/tun), as the user
                CommandResult r = Commands.run(systemd.enter(user.argv(argv, env), project), deadline, project);
                System.out.println("$ qemu-compose " + String.join(" ", args) + " → " + r.exitCode() + "\n"
                        + r.stdout() + r.stderr());
                return r;
            };

            CommandResult doctor = cli.run(Duration.ofMinutes(2), "doctor");
            assertThat(doctor.stdout()).as(doctor.toString())
                    .contains("rootless mode (a user + network namespace per project): no CAP_NET_ADMIN");
            CommandResult plan = cli.run(Duration.ofMinutes(2), "plan");
            assertThat(plan.exitCode()).as(plan.toString()).isZero();
            assertThat(plan.stdout()).contains("network.back").doesNotContain("CAP_NET_ADMIN");

            CommandResult up = cli.run(Duration.ofMinutes(18), "up", "--wait-timeout", "1000");
            assertThat(up.exitCode()).as(up.toString()).isZero();
            assertThat(up.stdout()).contains("in the project's own namespace");
            ProjectLayout layout = new ProjectLayout(project);
            long qemu = Long.parseLong(Files.readString(layout.qemuPidFile("web")).strip());
            assertThat(uidOf(qemu)).as("QEMU runs as the user").isEqualTo(user.uid());
            long firstHolder = mainPid(systemd, ProjectLayout.netnsUnit(PROJECT));
            long holder = firstHolder;
            assertThat(uidOf(holder)).as("the namespace's holder is the user's").isEqualTo(user.uid());
            String bridge = io.qemucompose.spec.Names.bridgeName(PROJECT, "back");
            String tapWeb = io.qemucompose.spec.Names.tapName(PROJECT, "web", 0);
            String tapDb = io.qemucompose.spec.Names.tapName(PROJECT, "db", 0);
            assertThat(linksIn(holder)).as("the project's namespace holds the bridge and both TAPs")
                    .contains(bridge, tapWeb, tapDb);
            assertNoProjectLinkOnTheHost(bridge);

            CommandResult guest = cli.run(Duration.ofMinutes(2), "ssh", "-n", "-T", "web", "--",
                    "id -u; id -g; echo from-guest > /mnt/share/by-guest.txt"
                            + " && touch /srv/data/mine && stat -c %u /srv/data/mine");
            assertThat(guest.exitCode()).as(guest.toString()).isZero();
            assertThat(guest.stdout().lines().toList()).as("the login user has the host user's uid and gid")
                    .containsExactly(Integer.toString(user.uid()), Integer.toString(user.gid()),
                            Integer.toString(user.uid()));
            Path written = project.resolve("share/by-guest.txt");
            assertThat(written).hasContent("from-guest");
            assertThat(Files.getAttribute(written, "unix:uid")).as("the guest's file is the host user's")
                    .isEqualTo(user.uid());

            // VM to VM over the bridge in the user's namespace: the relays, TAPs, bridge and dnsmasq
            CommandResult ping = cli.run(Duration.ofMinutes(2), "ssh", "-n", "-T", "web", "--",
                    "getent ahostsv4 db." + PROJECT + ".internal && ping -4 -c1 -W5 db");
            assertThat(ping.exitCode()).as("web pings db by name: " + ping).isZero();
            CommandResult back = cli.run(Duration.ofMinutes(2), "ssh", "-n", "-T", "db", "--", "ping -4 -c1 -W5 web");
            assertThat(back.exitCode()).as("and db web: " + back).isZero();

            // the namespace's holder dies under the running VMs: `up` makes namespace, bridge and dnsmasq
            // again and reconnects both VMs (their QEMU never stopped)
            Commands.run(List.of("kill", "-9", Long.toString(firstHolder))).orThrow();
            Commands.awaitCondition("the holder to be gone", Duration.ofSeconds(30), Duration.ofMillis(50),
                    () -> ProcessHandle.of(firstHolder).isEmpty());
            CommandResult repair = cli.run(Duration.ofMinutes(5), "up", "--wait-timeout", "300");
            assertThat(repair.exitCode()).as(repair.toString()).isZero();
            assertThat(repair.stdout()).contains("web: reconnected to network back", "db: reconnected to network back");
            assertThat(Long.parseLong(Files.readString(layout.qemuPidFile("web")).strip())).as("same QEMU").isEqualTo(qemu);
            long newHolder = mainPid(systemd, ProjectLayout.netnsUnit(PROJECT));
            assertThat(linksIn(newHolder)).contains(bridge, tapWeb, tapDb);
            CommandResult again = cli.run(Duration.ofMinutes(2), "ssh", "-n", "-T", "web", "--",
                    "for i in 1 2 3 4 5 6 7 8 9 10; do ping -4 -c1 -W3 db && exit 0; done; exit 1");
            assertThat(again.exitCode()).as("web pings db after the repair: " + again).isZero();
            holder = newHolder;

            // the host reaches a bridge address only through the namespace: ssh-config's ProxyCommand
            CommandResult sshConfig = cli.run(Duration.ofMinutes(2), "ssh-config", "db");
            assertThat(sshConfig.stdout()).as(sshConfig.toString()).contains("Host db.back", "ProxyCommand ");
            Path config = home.resolve("ssh_config");
            Files.writeString(config, sshConfig.stdout());
            user.chown(config);
            CommandResult viaBridge = Commands.run(systemd.enter(user.argv(List.of("ssh", "-F", config.toString(),
                    "-o", "BatchMode=yes", "-o", "ConnectTimeout=30", "db.back", "hostname"), env), project),
                    Duration.ofMinutes(2), project);
            assertThat(viaBridge.exitCode()).as("ssh to db's bridge address from the host: " + viaBridge).isZero();
            assertThat(viaBridge.stdout().strip()).isEqualTo("db");

            CommandResult ps = cli.run(Duration.ofMinutes(2), "ps", "--format", "json");
            assertThat(ps.stdout()).as(ps.toString()).contains("\"status\" : \"ready\"");
            assertThat(ps.stdout().split("\"status\" : \"ready\"", -1)).as("both ready: " + ps.stdout()).hasSize(3);
            CommandResult inspect = cli.run(Duration.ofMinutes(2), "inspect", "web");
            assertThat(inspect.exitCode()).as(inspect.toString()).isZero();
            assertThat(inspect.stdout()).contains("Bridge: qc-asuser-back", "Leased IP: 172.");

            CommandResult stop = cli.run(Duration.ofMinutes(3), "stop", "db");
            assertThat(stop.exitCode()).as(stop.toString()).isZero();
            assertThat(stop.stdout()).contains("db: stopped (");
            assertThat(linksIn(holder)).as("db's TAP went with it").contains(bridge, tapWeb).doesNotContain(tapDb);
            assertThat(unitState(systemd, ProjectLayout.nicRelayUnit(PROJECT, "db", 0))).isIn("inactive", "");
            assertThat(unitState(systemd, ProjectLayout.nicRelayUnit(PROJECT, "web", 0))).isEqualTo("active");

            CommandResult destroy = cli.run(Duration.ofMinutes(3), "destroy", "-v");
            assertThat(destroy.exitCode()).as(destroy.toString()).isZero();
            assertThat(layout.vmDir("web")).doesNotExist();
            assertThat(unitState(systemd, ProjectLayout.netnsUnit(PROJECT))).as("the namespace is gone")
                    .isIn("inactive", "");
            assertThat(ProcessHandle.of(holder)).isEmpty();
            CommandResult units = systemd.runAsUser(List.of("systemctl", "--user", "list-units", "--all", "--plain",
                    "--no-legend", "qemu-compose-*"), Duration.ofSeconds(30), null);
            assertThat(units.stdout().strip()).as("no unit of the project is left").isEmpty();
            assertNoProjectLinkOnTheHost(bridge);

            try (Stream<Path> files = Files.walk(home)) {
                List<Path> notTheUsers = files.filter(f -> uidOrMinusOne(f) != user.uid()).toList();
                assertThat(notTheUsers).as("files under the user's home that are not the user's").isEmpty();
            }
        }
    }

    private static void assertNoProjectLinkOnTheHost(String bridge) {
        String hostLinks = Commands.run(List.of("ip", "-o", "link")).orThrow().stdout();
        assertThat(hostLinks).as("no link of the project in the host's namespace").doesNotContain(bridge)
                .doesNotContain("tap-" + PROJECT);
    }

    /** The links in the namespace of {@code pid}, read as root with nsenter (the test's view, not the product's). */
    private static String linksIn(long pid) {
        return Commands.run(List.of("nsenter", "--target", Long.toString(pid), "--net", "ip", "-o", "link"))
                .orThrow().stdout();
    }

    private static long mainPid(PrivateSystemdUser systemd, String unit) {
        String out = systemd.runAsUser(List.of("systemctl", "--user", "show", "-p", "MainPID", "--value", unit),
                Duration.ofSeconds(30), null).stdout().strip();
        return Long.parseLong(out);
    }

    private static String unitState(PrivateSystemdUser systemd, String unit) {
        return systemd.runAsUser(List.of("systemctl", "--user", "show", "-p", "ActiveState", "--value", unit),
                Duration.ofSeconds(30), null).stdout().strip();
    }

    @FunctionalInterface
    private interface Cli {
        CommandResult run(Duration deadline, String... args);
    }

    private static int uidOrMinusOne(Path file) {
        try {
            return (Integer) Files.getAttribute(file, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return -1;
        }
    }

    private static int uidOf(long pid) throws IOException {
        String uidLine = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
        return Integer.parseInt(uidLine.substring(4).strip().split("\\s+")[0]);
    }
}
