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
 * Issue 14's first half end to end: a new unprivileged user (uid ≥ 1001) with a systemd user manager
 * of their own runs the product's CLI as themselves on the real guest. {@code up} of a VM with a
 * read-write bind mount and a named volume; the guest's login user has the host user's uid, writes
 * into the share and the file is the host user's; the volume is the login user's; {@code ps},
 * {@code ssh}, {@code stop}, {@code destroy}; nothing under the user's folder belongs to root.
 */
class AsANormalUserIT {

    @Test
    @Timeout(value = 25, unit = TimeUnit.MINUTES)
    void aNormalUsersVmWritesIntoTheShareAsThatUser() throws Exception {
        try (var systemd = PrivateSystemdUser.forNewUser()) {
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
                    name: asuser
                    vms:
                      web:
                        image: %s
                        memory: 768
                        volumes:
                          - ./share:/mnt/share
                          - data:/srv/data
                    volumes:
                      data:
                        size: 64M
                    """.formatted(image));
            user.chown(home);

            Map<String, String> env = new HashMap<>(systemd.environment());
            env.put("QEMU_COMPOSE_USERNET_RESTRICT", "true");
            env.put("QEMU_COMPOSE_ACCEL", "tcg");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Cli cli = (deadline, args) -> {
                List<String> argv = new ArrayList<>(List.of(java, "-cp", classpath, "io.qemucompose.cli.Main"));
                argv.addAll(List.of(args));
                CommandResult r = user.run(argv, env, deadline, project);
                System.out.println("$ qemu-compose " + String.join(" ", args) + " → " + r.exitCode() + "\n"
                        + r.stdout() + r.stderr());
                return r;
            };

            CommandResult up = cli.run(Duration.ofMinutes(16), "up", "--wait-timeout", "900");
            assertThat(up.exitCode()).as(up.toString()).isZero();
            long qemu = Long.parseLong(Files.readString(new ProjectLayout(project).qemuPidFile("web")).strip());
            assertThat(uidOf(qemu)).as("QEMU runs as the user").isEqualTo(user.uid());

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

            CommandResult ps = cli.run(Duration.ofMinutes(2), "ps", "--format", "json");
            assertThat(ps.stdout()).as(ps.toString()).contains("\"status\" : \"ready\"");
            CommandResult stop = cli.run(Duration.ofMinutes(3), "stop", "web");
            assertThat(stop.exitCode()).as(stop.toString()).isZero();
            assertThat(stop.stdout()).contains("web: stopped (");
            CommandResult destroy = cli.run(Duration.ofMinutes(2), "destroy", "-v");
            assertThat(destroy.exitCode()).as(destroy.toString()).isZero();
            assertThat(new ProjectLayout(project).vmDir("web")).doesNotExist();

            try (Stream<Path> files = Files.walk(home)) {
                List<Path> notTheUsers = files.filter(f -> uidOrMinusOne(f) != user.uid()).toList();
                assertThat(notTheUsers).as("files under the user's home that are not the user's").isEmpty();
            }
        }
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
