package io.qemucompose.driver.qemu;

import io.qemucompose.driver.kvm.Accelerator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QemuCommandLineTest {

    private static final Path VM_DIR = Path.of("/srv/proj/.qemu-compose/web");

    private static VmRuntimeSpec fullSpec(Accelerator accelerator, boolean restrict) {
        return new VmRuntimeSpec("proj", "web", "qemu-system-x86_64", accelerator, MachineType.PC, Optional.empty(),
                2, 1024, VM_DIR.resolve("disk.qcow2"), Optional.of(VM_DIR.resolve("cloud-init.iso")),
                List.of(new DataDisk(Path.of("/srv/proj/.qemu-compose/volumes/data.qcow2"), "qcow2", "qc-data", false),
                        new DataDisk(Path.of("/srv/images/ref.raw"), "raw", "qc-ref", true)),
                List.of(new Share(Path.of("/srv/proj/src"), "src", "passthrough", false),
                        new Share(Path.of("/srv/proj/config"), "config", "mapped-xattr", true)),
                List.of(new UserNetwork("52:54:00:12:34:56", 2222,
                        List.of(HostForward.tcp("127.0.0.1", 8080, 80),
                                new HostForward(HostForward.Protocol.UDP, "0.0.0.0", 5353, 53)),
                        restrict)),
                QemuRuntimeFiles.in(VM_DIR));
    }

    @Test
    void fullSpecUnderTcgMatchesGoldenArgv() throws IOException {
        assertThat(QemuCommandLine.argv(fullSpec(Accelerator.TCG, true))).containsExactlyElementsOf(golden("qemu-argv-tcg.txt"));
    }

    private static VmRuntimeSpec withBridges() {
        var spec = fullSpec(Accelerator.TCG, true);
        var nics = new ArrayList<NetworkAttachment>(spec.networks());
        nics.add(new TapNetwork("tap-proj-web-0", "52:54:00:a1:b2:c3", "br0"));
        nics.add(new TapNetwork("tap-proj-web-1", "52:54:00:d4:e5:f6", "br1"));
        return new VmRuntimeSpec(spec.project(), spec.name(), spec.qemuBinary(), spec.accelerator(), spec.machine(),
                spec.cpuModel(), spec.cpus(), spec.memoryMb(), spec.overlayDisk(), spec.seedIso(), spec.dataDisks(),
                spec.shares(), nics, spec.files());
    }

    @Test
    void userNicPlusTwoTapNicsMatchesGoldenArgv() throws IOException {
        assertThat(QemuCommandLine.argv(withBridges())).containsExactlyElementsOf(golden("qemu-argv-tcg-bridges.txt"));
    }

    @Test
    void tapNicOpensTheExistingTapWithoutScriptsOrVhost() {
        List<String> argv = QemuCommandLine.argv(withBridges());
        assertThat(argv).containsSubsequence("-netdev", "tap,id=br0,ifname=tap-proj-web-0,script=no,downscript=no,vhost=off",
                "-device", "virtio-net-pci,netdev=br0,mac=52:54:00:a1:b2:c3");
    }

    @Test
    void aRelayedNicTalksToItsRelayOverUnixDatagrams() {
        var spec = fullSpec(Accelerator.TCG, true);
        var relayed = new RelayedNetwork(VM_DIR.resolve("nic0.qemu.sock"), VM_DIR.resolve("nic0.ns.sock"),
                "52:54:00:a1:b2:c3", "br0");
        var withRelay = new VmRuntimeSpec("p", "web", "q", Accelerator.TCG, MachineType.PC, Optional.empty(), 1, 512,
                VM_DIR.resolve("d.qcow2"), Optional.empty(), List.of(), List.of(),
                List.of(spec.networks().getFirst(), relayed), QemuRuntimeFiles.in(VM_DIR));

        assertThat(QemuCommandLine.argv(withRelay)).containsSubsequence("-netdev", "dgram,id=br0,local.type=unix,local.path="
                + VM_DIR.resolve("nic0.qemu.sock") + ",remote.type=unix,remote.path=" + VM_DIR.resolve("nic0.ns.sock"),
                "-device", "virtio-net-pci,netdev=br0,mac=52:54:00:a1:b2:c3");
        assertThatThrownBy(() -> new RelayedNetwork(Path.of("/a,b"), VM_DIR.resolve("x"), "52:54:00:a1:b2:c3", "br0"))
                .hasMessageContaining("without commas");
        assertThatThrownBy(() -> new RelayedNetwork(Path.of("/" + "x".repeat(120)), VM_DIR.resolve("x"),
                "52:54:00:a1:b2:c3", "br0")).hasMessageContaining("at most 107");
    }

    @Test
    void badTapNicsAreRefused() {
        assertThatThrownBy(() -> new TapNetwork("tap-name-longer-than-15", "52:54:00:a1:b2:c3", "br0"))
                .hasMessageContaining("1-15");
        assertThatThrownBy(() -> new TapNetwork("tap0", "52:54:00:a1:b2:c3", "net,x")).hasMessageContaining("netdev id");
        assertThatThrownBy(() -> new TapNetwork("tap0", "01:54:00:a1:b2:c3", "br0")).hasMessageContaining("multicast");
        var spec = fullSpec(Accelerator.TCG, true);
        var clash = new VmRuntimeSpec("p", "web", "q", Accelerator.TCG, MachineType.PC, Optional.empty(), 1, 512,
                VM_DIR.resolve("d.qcow2"), Optional.empty(), List.of(), List.of(),
                List.of(spec.networks().getFirst(), new TapNetwork("tap0", "52:54:00:a1:b2:c3", "net0")),
                QemuRuntimeFiles.in(VM_DIR));
        assertThatThrownBy(() -> QemuCommandLine.argv(clash)).hasMessageContaining("netdev id 'net0' is used by two NICs");
    }

    @Test
    void kvmUsesHostCpuModelAndKvmAccelerator() {
        List<String> argv = QemuCommandLine.argv(fullSpec(Accelerator.KVM, false));
        assertThat(argv).containsSubsequence("-accel", "kvm").containsSubsequence("-cpu", "host");
        assertThat(argv).doesNotContain("qemu64", "tcg");
    }

    @Test
    void restrictFlagIsTheOnlyDifferenceOfARestrictedNetwork() {
        List<String> open = QemuCommandLine.argv(fullSpec(Accelerator.TCG, false));
        List<String> restricted = QemuCommandLine.argv(fullSpec(Accelerator.TCG, true));
        String openNetdev = open.get(open.indexOf("-netdev") + 1);
        String restrictedNetdev = restricted.get(restricted.indexOf("-netdev") + 1);
        assertThat(openNetdev).doesNotContain("restrict");
        assertThat(restrictedNetdev).isEqualTo(openNetdev.replace("user,id=net0,", "user,id=net0,restrict=on,"));
    }

    @Test
    void readOnlyShareIsEnforcedByQemu() {
        List<String> argv = QemuCommandLine.argv(fullSpec(Accelerator.TCG, true));
        assertThat(argv).contains(
                "local,id=fs0,path=/srv/proj/src,mount_tag=src,security_model=passthrough",
                "local,id=fs1,path=/srv/proj/config,mount_tag=config,security_model=mapped-xattr,readonly=on");
    }

    @Test
    void commasInPathsAreDoubledSoQemuDoesNotSplitThem() {
        Path odd = Path.of("/srv/a,b/.qemu-compose/web");
        var spec = new VmRuntimeSpec("p", "web", "qemu-system-x86_64", Accelerator.TCG, MachineType.Q35, Optional.empty(),
                1, 512, odd.resolve("disk.qcow2"), Optional.empty(), List.of(), List.of(), List.of(),
                QemuRuntimeFiles.in(odd));
        List<String> argv = QemuCommandLine.argv(spec);
        assertThat(argv).contains("file=/srv/a,,b/.qemu-compose/web/disk.qcow2,if=none,id=disk0,format=qcow2,discard=unmap",
                "unix:/srv/a,,b/.qemu-compose/web/qmp.sock,server=on,wait=off");
        assertThat(argv).containsSubsequence("-machine", "q35");
        assertThat(argv).doesNotContain("-netdev");
    }

    @Test
    void cpuModelOverrideWins() {
        var spec = new VmRuntimeSpec("p", "web", "qemu-system-x86_64", Accelerator.TCG, MachineType.PC, Optional.of("max"),
                1, 512, VM_DIR.resolve("disk.qcow2"), Optional.empty(), List.of(), List.of(), List.of(),
                QemuRuntimeFiles.in(VM_DIR));
        assertThat(QemuCommandLine.argv(spec)).containsSubsequence("-cpu", "max");
    }

    @Test
    void restrictKnobIsReadFromTheEnvironment() {
        assertThat(UserNetwork.restrictFromEnvironment(Map.of(UserNetwork.RESTRICT_ENV, "true"))).isTrue();
        assertThat(UserNetwork.restrictFromEnvironment(Map.of(UserNetwork.RESTRICT_ENV, "TRUE "))).isTrue();
        assertThat(UserNetwork.restrictFromEnvironment(Map.of(UserNetwork.RESTRICT_ENV, "no"))).isFalse();
        assertThat(UserNetwork.restrictFromEnvironment(Map.of())).isFalse();
    }

    @Test
    void diskSerialLongerThanVirtioAllowsIsRefused() {
        assertThatThrownBy(() -> new DataDisk(Path.of("/d.qcow2"), "qcow2", "qc-a-very-long-volume-name", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1-20 characters");
    }

    @Test
    void socketPathsLongerThanSunPathAreRefusedBeforeQemuStarts() {
        Path deep = Path.of("/" + "d".repeat(90) + "/.qemu-compose/web");
        assertThatThrownBy(() -> QemuRuntimeFiles.in(deep))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 107");
    }

    @Test
    void duplicateMountTagsAreRefused() {
        var share = new Share(Path.of("/a"), "tag", "none", false);
        assertThatThrownBy(() -> new VmRuntimeSpec("p", "web", "q", Accelerator.TCG, MachineType.PC, Optional.empty(), 1, 512,
                VM_DIR.resolve("d.qcow2"), Optional.empty(), List.of(), List.of(share, share), List.of(), QemuRuntimeFiles.in(VM_DIR)))
                .hasMessageContaining("9p mount tag 'tag' is used twice");
    }

    @Test
    void badMacAndSecurityModelAreRefused() {
        assertThatThrownBy(() -> new UserNetwork("53:54:00:12:34:56", 2222, List.of(), true)).hasMessageContaining("multicast");
        assertThatThrownBy(() -> new UserNetwork("52:54:00:12:34", 2222, List.of(), true)).hasMessageContaining("not of the form");
        assertThatThrownBy(() -> new Share(Path.of("/a"), "t", "mapped", false)).hasMessageContaining("security model 'mapped'");
    }

    private static VmRuntimeSpec withVnc(VncDisplay vnc) {
        var spec = fullSpec(Accelerator.TCG, true);
        return spec.withVnc(Optional.of(vnc));
    }

    @Test
    void vncListensOnLoopbackOrAUnixSocketAndThePasswordNeverAppearsInArgv() {
        assertThat(QemuCommandLine.argv(withVnc(new VncDisplay.UnixSocket(VM_DIR.resolve("vnc.sock"), true))))
                .containsSubsequence("-device", "VGA", "-vnc", "unix:/srv/proj/.qemu-compose/web/vnc.sock,password=on");
        assertThat(QemuCommandLine.argv(withVnc(new VncDisplay.Loopback(java.util.OptionalInt.of(3), false))))
                .containsSubsequence("-vnc", "127.0.0.1:3");
        assertThat(QemuCommandLine.argv(withVnc(new VncDisplay.Loopback(java.util.OptionalInt.empty(), true))))
                .containsSubsequence("-vnc", "127.0.0.1:0,to=99,password=on");
        assertThat(QemuCommandLine.argv(fullSpec(Accelerator.TCG, true))).doesNotContain("-vnc");
    }

    private static List<String> golden(String name) throws IOException {
        try (InputStream in = QemuCommandLineTest.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
