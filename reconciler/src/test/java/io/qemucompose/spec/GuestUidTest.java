package io.qemucompose.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestUidTest {
    private static final String IMAGE = "https://example.org/debian.qcow2";
    private static final HostUser ALICE = new HostUser(1001, 1001);

    @TempDir
    Path dir;

    private ComposeProject load(HostUser host, String yaml) throws Exception {
        Path file = dir.resolve("qemu-compose.yaml");
        Files.writeString(file, yaml);
        return new ComposeLoader(Map.of()).withHostUser(host).load(ComposeSource.of(file), Optional.of("p"));
    }

    @Test
    void theLoginUserGetsTheHostUsersUidAndPrimaryGid() throws Exception {
        VmSpec vm = load(new HostUser(1001, 100), "vms:\n  web: {image: " + IMAGE + "}\n").vm("web");

        assertThat(vm.uid()).contains(new GuestUid(1001, 100, GuestUid.Origin.HOST));
    }

    @Test
    void rootKeepsTheImagesDefaultUid() throws Exception {
        ComposeProject project = load(HostUser.ROOT, "vms:\n  web: {image: " + IMAGE + "}\n");

        assertThat(project.vm("web").uid()).isEmpty();
        assertThat(project.warnings()).isEmpty();
    }

    @Test
    void uidOverridesTheHostUsersAndUserOnlyTheName() throws Exception {
        ComposeProject project = load(ALICE, """
                vms:
                  a: {image: %s, uid: 1500}
                  b: {image: %s, user: admin}
                """.formatted(IMAGE, IMAGE));

        assertThat(project.vm("a").uid()).contains(new GuestUid(1500, 1500, GuestUid.Origin.FILE));
        assertThat(project.vm("b").uid()).contains(new GuestUid(1001, 1001, GuestUid.Origin.HOST));
        assertThat(project.vm("b").user()).contains("admin");
    }

    @Test
    void aUidTheImageHoldsIsRefusedAtTheField() {
        assertThatThrownBy(() -> load(ALICE, """
                vms:
                  a: {image: %s, uid: 999}
                  b:
                    image: %s
                    uid: 0
                  c: {image: %s, uid: 65534}
                """.formatted(IMAGE, IMAGE, IMAGE)))
                .isInstanceOf(ComposeFileException.class)
                .hasMessageContaining("qemu-compose.yaml:2:53: vms.a.uid: uid 999 is in the image's system range "
                        + "(below 1000), where a system account may hold it; cloud-init could not create the user")
                .hasMessageContaining(":5:10: vms.b.uid: uid 0 is root")
                .hasMessageContaining(":6:53: vms.c.uid: uid 65534 is 'nobody'");
    }

    @Test
    void aHostUidInTheSystemRangeIsNotGivenToGuestsAndTheWarningSaysSo() throws Exception {
        ComposeProject project = load(new HostUser(998, 998), """
                vms:
                  a: {image: %s}
                  b: {image: %s, uid: 2000}
                """.formatted(IMAGE, IMAGE));

        assertThat(project.vm("a").uid()).isEmpty();
        assertThat(project.warnings()).containsExactly("your uid 998 is in the image's system range (below 1000), "
                + "where a system account may hold it, so the login user of a keeps the image's default uid and files "
                + "in rw bind mounts will not be yours; set uid: to choose one");
    }

    @Test
    void guestsWithoutCloudInitGetNoUidAndRefuseTheField() throws Exception {
        String freebsd = "https://example.org/freebsd-14.1-amd64.qcow2";
        assertThat(load(ALICE, "vms:\n  bsd: {image: " + freebsd + ", os: freebsd}\n").vm("bsd").uid()).isEmpty();
        assertThatThrownBy(() -> load(ALICE, "vms:\n  bsd: {image: " + freebsd + ", os: freebsd, uid: 1500}\n"))
                .hasMessageContaining("vms.bsd.uid: the login user's uid is set by cloud-init, not supported on freebsd");
    }

    @Test
    void configShowsOnlyAUidTheFileAsksFor() throws Exception {
        ComposeProject project = load(ALICE, """
                vms:
                  a: {image: %s, uid: 1500}
                  b: {image: %s}
                """.formatted(IMAGE, IMAGE));
        String rendered = ComposeRenderer.toYaml(project);

        assertThat(rendered).contains("uid: 1500").doesNotContain("1001");
    }

    @Test
    void theRealIdsComeFromProcStatus() throws Exception {
        String status = "Name:\tjava\nUid:\t1001\t1001\t1001\t1001\nGid:\t100\t100\t100\t100\nGroups:\t100\n";

        assertThat(HostUser.fromStatus(status)).isEqualTo(new HostUser(1001, 100));
        // /proc/self belongs to this process's user
        assertThat(HostUser.current().uid()).isEqualTo(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }
}
