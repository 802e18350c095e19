package io.qemucompose.it.volumes;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.QemuComposeCli;
import io.qemucompose.desired.GuestMounts;
import io.qemucompose.spec.ComposeFiles;
import io.qemucompose.spec.ComposeLoader;
import io.qemucompose.spec.VmSpec;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.StateStore;
import io.qemucompose.testkit.CommandResult;
import io.qemucompose.testkit.Commands;
import io.qemucompose.testkit.GuestImage;
import io.qemucompose.testkit.PrivateSystemdUser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Named volumes and bind mounts in a real guest, through the in-process CLI. One VM with two named
 * volumes and three bind mounts (rw, ro, automount: false); then destroy + up with the volumes
 * listed the other way round and one grown; then a second VM on a volume of the first. The steps
 * build on each other (three boots in all), hence the order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VolumesIT {

    @RegisterExtension
    static PrivateSystemdUser systemd = new PrivateSystemdUser();

    private static Path work;
    private static Path project;
    private static Map<String, String> env;

    @BeforeAll
    static void project() throws IOException {
        work = Files.createTempDirectory("qc-volumes-it-");
        project = Files.createDirectory(work.resolve("proj"));
        Path rw = Files.createDirectory(project.resolve("rw"));
        // the guest's user (uid 1000) writes here through 9p; the host folder belongs to root
        Files.setPosixFilePermissions(rw, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(rw.resolve("from-host.txt"), "hello guest\n");
        Files.writeString(Files.createDirectory(project.resolve("ro")).resolve("ro.txt"), "read only\n");
        Files.writeString(Files.createDirectory(project.resolve("manual")).resolve("manual.txt"), "by hand\n");
        writeCompose(false, "64M");
        env = new HashMap<>(systemd.environment());
        env.put("QEMU_COMPOSE_USERNET_RESTRICT", "true");
        env.put("QEMU_COMPOSE_ACCEL", "tcg");
        env.put("XDG_DATA_HOME", work.resolve("data").toString());
        env.put("XDG_STATE_HOME", work.resolve("state").toString());
        env.put("HOME", work.toString());
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (project != null) {
            cli("destroy", "--volumes");
        }
        if (work != null) {
            Commands.run(List.of("rm", "-rf", work.toString()));
        }
    }

    /** The compose file; {@code swapped} lists one's volumes the other way round. */
    private static void writeCompose(boolean swapped, String data1Size) throws IOException {
        String one = "      - data1:/srv/one\n";
        String two = "      - data2:/srv/two\n";
        Files.writeString(project.resolve("qemu-compose.yaml"), """
                name: volit
                volumes:
                  data1:
                    size: %s
                  data2:
                    size: 64M
                vms:
                  one:
                    image: %s
                    cpu: 1
                    memory: 1024
                    volumes:
                %s%s      - ./rw:/mnt/rw
                      - ./ro:/mnt/ro:ro
                      - source: ./manual
                        target: /mnt/manual
                        automount: false
                  two:
                    image: %s
                    cpu: 1
                    memory: 1024
                    volumes:
                      - data1:/srv/data
                """.formatted(data1Size, GuestImage.path(), swapped ? two : one, swapped ? one : two,
                GuestImage.path()));
    }

    record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = QemuComposeCli.run(new CommandEnvironment(new PrintWriter(out, true), new PrintWriter(err, true), env,
                project, false), args);
        Run r = new Run(code, out.toString(), err.toString());
        System.out.println("$ qemu-compose " + String.join(" ", args) + " -> " + code + "\n" + r.all());
        return r;
    }

    private static CommandResult ssh(String vm, String command) {
        int port = new StateStore(new ProjectLayout(project)).read().vm(vm).orElseThrow().sshPort();
        return Commands.run(List.of("ssh", "-i", project.resolve(".qemu-compose/ssh/id_ed25519").toString(),
                "-p", Integer.toString(port), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "BatchMode=yes", "-o", "ConnectTimeout=20", "-o", "LogLevel=ERROR", "debian@127.0.0.1", command),
                Duration.ofMinutes(2), null);
    }

    private static String guest(String vm, String command) {
        CommandResult r = ssh(vm, command);
        assertThat(r.exitCode()).as("guest %s: %s\n%s%s", vm, command, r.stdout(), r.stderr()).isZero();
        return r.stdout();
    }

    private static VmSpec spec(String vm) throws Exception {
        return new ComposeLoader(env).load(ComposeFiles.locate(List.of(), env, project), Optional.empty()).vms().get(vm);
    }

    @Test
    @Order(1)
    void upMountsBindsAndVolumesWhereTheFileSays() {
        Run up = cli("up", "one");
        assertThat(up.code()).as(up.all()).isZero();
        assertThat(up.out()).contains("volume data1: created", "volume data2: created");
        for (String vol : List.of("data1:/srv/one", "data2:/srv/two")) {
            String[] p = vol.split(":");
            String source = guest("one", "findmnt -n -o SOURCE " + p[1]).strip();
            assertThat(guest("one", "readlink -f /dev/disk/by-id/virtio-qc-" + p[0]).strip()).isEqualTo(source);
        }
    }

    @Test
    @Order(2)
    void hostAndGuestSeeEachOthersFilesOnTheReadWriteBindMount() {
        assertThat(guest("one", "cat /mnt/rw/from-host.txt")).isEqualTo("hello guest\n");
        guest("one", "echo hello host > /mnt/rw/from-guest.txt");
        assertThat(project.resolve("rw/from-guest.txt")).hasContent("hello host");
    }

    @Test
    @Order(3)
    void theReadOnlyBindMountStaysReadOnlyEvenWhenRemountedReadWrite() {
        assertThat(guest("one", "cat /mnt/ro/ro.txt")).isEqualTo("read only\n");
        assertThat(ssh("one", "sudo touch /mnt/ro/nope").exitCode()).isNotZero();
        // the guest may flip its own mount flag; QEMU (readonly=on) still refuses every write
        ssh("one", "sudo mount -o remount,rw /mnt/ro");
        CommandResult write = ssh("one", "echo x | sudo tee /mnt/ro/nope");
        assertThat(write.exitCode()).as(write.stderr()).isNotZero();
        assertThat(project.resolve("ro/nope")).doesNotExist();
    }

    @Test
    @Order(4)
    void theManualShareIsAttachedButNotMountedAndMountsWithThePrintedCommand() throws Exception {
        assertThat(ssh("one", "findmnt /mnt/manual").exitCode()).isNotZero();
        assertThat(guest("one", "cat /sys/bus/virtio/drivers/9pnet_virtio/*/mount_tag | tr '\\0' '\\n'"))
                .contains("mount2");
        String command = GuestMounts.manualMountCommands(spec("one")).get("/mnt/manual");
        assertThat(command).contains("mount2");
        guest("one", command);
        assertThat(guest("one", "cat /mnt/manual/manual.txt")).isEqualTo("by hand\n");
    }

    @Test
    @Order(5)
    void namedVolumesBelongToTheGuestUserAndASecondWriterIsRefused() {
        guest("one", "echo one > /srv/one/marker && echo two > /srv/two/marker && sync");
        Run refused = cli("up", "two");
        assertThat(refused.code()).isNotZero();
        assertThat(refused.err()).contains("volume 'data1' would be used by one (read-write) and two (read-write)");
        Run ls = cli("volume", "ls");
        assertThat(ls.out()).containsPattern("data1\\s+64M\\s+\\S+ \\S+\\s+one \\(running\\), two")
                .contains("data2");
        Run rm = cli("volume", "rm", "data1");
        assertThat(rm.code()).isNotZero();
        assertThat(rm.err()).contains("volume data1 is in use by running VM one");
        assertThat(StateStore.class).isNotNull();
        assertThat(project.resolve(".qemu-compose/volumes/data1/disk.qcow2")).isRegularFile();
    }

    @Test
    @Order(6)
    void dataSurvivesDestroyAndEachVolumeKeepsItsTargetInAnyOrderAndGrows() throws Exception {
        Run destroy = cli("destroy");
        assertThat(destroy.code()).as(destroy.all()).isZero();
        assertThat(cli("volume", "ls", "-q").out().lines()).containsExactly("data1", "data2");
        writeCompose(true, "128M");
        Run plan = cli("plan", "one");
        assertThat(plan.out()).contains("# volume.data1 will be updated in place", "~ size = \"64 MiB\" -> \"128 MiB\"");
        Run up = cli("up", "one");
        assertThat(up.code()).as(up.all()).isZero();
        assertThat(guest("one", "cat /srv/one/marker")).isEqualTo("one\n");
        assertThat(guest("one", "cat /srv/two/marker")).isEqualTo("two\n");
        long size = Long.parseLong(guest("one", "df -B1 --output=size /srv/one | tail -1").strip());
        assertThat(size).as("file system grown to the 128M disk").isGreaterThan(100L << 20);
    }

    @Test
    @Order(7)
    void aSecondVmSeesTheVolumeOnceTheFirstIsStopped() {
        assertThat(cli("stop", "one").code()).isZero();
        Run up = cli("up", "two");
        assertThat(up.code()).as(up.all()).isZero();
        assertThat(guest("two", "cat /srv/data/marker")).isEqualTo("one\n");
    }

    @Test
    @Order(8)
    void destroyWithVolumesRemovesThem() {
        Run destroy = cli("destroy", "--volumes");
        assertThat(destroy.code()).as(destroy.all()).isZero();
        assertThat(destroy.out()).contains("Volume data1 removed", "Volume data2 removed");
        assertThat(cli("volume", "ls", "-q").out()).isEmpty();
        assertThat(project.resolve(".qemu-compose/volumes/data1")).doesNotExist();
    }
}
