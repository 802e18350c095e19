package io.qemucompose.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.spec.ComposeFiles;
import io.qemucompose.spec.ComposeLoader;
import io.qemucompose.spec.VmSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestMountsTest {

    @TempDir
    Path dir;

    private VmSpec vm(String volumes) throws Exception {
        Path file = dir.resolve("qemu-compose.yaml");
        Files.writeString(file, """
                volumes:
                  data: {}
                  a-rather-long-volume-name: {}
                vms:
                  web:
                    image: https://example.org/debian-12.qcow2
                    volumes:
                %s""".formatted(volumes.indent(6)));
        return new ComposeLoader(Map.of()).load(ComposeFiles.locate(List.of(file.toString()), Map.of(), dir),
                Optional.of("demo")).vms().get("web");
    }

    @Test
    void bindMountsAreTaggedInTheirOrderAndVolumesBySerialWhateverTheOrder() throws Exception {
        GuestMounts m = GuestMounts.of(vm("""
                - data:/srv/data
                - ./a:/a
                - a-rather-long-volume-name:/srv/long:ro
                - source: ./b
                  target: /b
                  read_only: true
                """));
        assertThat(m.shares()).extracting(GuestMounts.Share9p::tag).containsExactly("mount0", "mount1");
        assertThat(m.shares().get(0).source()).isEqualTo(dir.resolve("a"));
        assertThat(m.shares().get(1).options()).isEqualTo("trans=virtio,version=9p2000.L,msize=512000,ro");
        assertThat(m.disks()).extracting(GuestMounts.VolumeDisk::serial)
                .containsExactly("qc-data", GuestMounts.serial("a-rather-long-volume-name"));
        assertThat(m.disks().get(0).devicePath()).isEqualTo("/dev/disk/by-id/virtio-qc-data");
        assertThat(m.disks().get(1).options()).isEqualTo("ro,nofail");
    }

    @Test
    void aSingleFileSharesItsFolderAtAHiddenMountPointAndIsLinkedToItsTarget() throws Exception {
        Files.writeString(dir.resolve("nginx.conf"), "events {}\n");
        GuestMounts m = GuestMounts.of(vm("""
                - ./nginx.conf:/etc/nginx/nginx.conf:ro
                - ./a:/a
                """));
        GuestMounts.Share9p file = m.shares().getFirst();
        assertThat(file.source()).isEqualTo(dir);
        assertThat(file.target()).isEqualTo("/var/lib/qemu-compose/files/mount0");
        assertThat(file.readOnly()).isTrue();
        assertThat(file.file()).contains(new GuestMounts.SingleFile("nginx.conf", "/etc/nginx/nginx.conf"));
        assertThat(file.file().get().linkCommand(file.target(), ""))
                .isEqualTo("mkdir -p /etc/nginx && ln -sfn /var/lib/qemu-compose/files/mount0/nginx.conf /etc/nginx/nginx.conf");
        assertThat(m.shares().get(1).file()).isEmpty();
        assertThat(m.shares().get(1).target()).isEqualTo("/a");
    }

    @Test
    void longVolumeNamesGetDistinctSerialsWithinVirtiosTwentyBytes() {
        String a = GuestMounts.serial("a-rather-long-volume-name");
        String b = GuestMounts.serial("a-rather-long-volume-other");
        assertThat(a).hasSizeLessThanOrEqualTo(20).startsWith("qc-a-rathe").isNotEqualTo(b);
        assertThat(GuestMounts.serial("seventeen-chars-x")).isEqualTo("qc-seventeen-chars-x");
    }

    @Test
    void userMountOptionsOverrideDefaultsKeyByKey() throws Exception {
        GuestMounts m = GuestMounts.of(vm("""
                - source: ./cache
                  target: /var/cache/app
                  mount_options: cache=loose,msize=262144
                """));
        assertThat(m.shares().getFirst().options()).isEqualTo("trans=virtio,version=9p2000.L,msize=262144,cache=loose");
    }

    @Test
    void onlySharesWithoutAutomountHaveAManualCommand() throws Exception {
        VmSpec spec = vm("""
                - ./auto:/auto
                - source: ./scripts
                  target: /opt/scripts
                  automount: false
                """);
        assertThat(GuestMounts.manualMountCommands(spec)).containsExactly(Map.entry("/opt/scripts",
                "sudo mkdir -p /opt/scripts && sudo mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 "
                        + "mount1 /opt/scripts"));
    }
}
