package io.qemucompose.it.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.cloudinit.KeyDisk;
import io.qemucompose.driver.kvm.Accelerator;
import io.qemucompose.driver.qemu.DataDisk;
import io.qemucompose.driver.qemu.DeviceProfile;
import io.qemucompose.driver.qemu.DeviceProfiles;
import io.qemucompose.driver.qemu.Firmware;
import io.qemucompose.driver.qemu.FirmwareFiles;
import io.qemucompose.driver.qemu.QemuRuntimeFiles;
import io.qemucompose.driver.qemu.UserNetwork;
import io.qemucompose.driver.qemu.VmRuntimeSpec;
import io.qemucompose.spec.GuestOs;
import io.qemucompose.testkit.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every profile of qvm's drivers boots under TCG, with its own firmware, machine, disk bus and NIC,
 * as far as the firmware's boot of our disk: no BSD image can be downloaded here, so the disk is
 * {@link EchoBootSector}'s (a boot sector that prints to the serial port), in qcow2 as the profile
 * attaches it, plus the key disk a real VM of the profile gets. SeaBIOS profiles must run the boot
 * sector (the BIOS found and booted the disk on that bus); the UEFI profiles must show the firmware's
 * boot manager trying that disk (a BIOS boot sector is no EFI program, so that is as far as UEFI goes).
 * Each boot takes seconds.
 */
class GuestProfilesBootIT {

    private static final Duration BOOT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    static Stream<String> qvmProfiles() {
        // arm64 profiles only where the emulator is installed (scripts/install-deps installs it)
        boolean arm = Files.isExecutable(Path.of("/usr/bin/qemu-system-aarch64"));
        return DeviceProfiles.all().stream().filter(p -> p.os() != GuestOs.LINUX)
                .filter(p -> arm || p.arch() == io.qemucompose.spec.GuestArch.X86_64).map(DeviceProfile::name);
    }

    @ParameterizedTest
    @MethodSource("qvmProfiles")
    void profileBootsToItsBootLoadersSerialOutput(String name) throws Exception {
        DeviceProfile profile = DeviceProfiles.all().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        Path boot = EchoBootSector.write(dir.resolve("boot.raw"));
        Path overlay = dir.resolve("disk.qcow2");
        TestVm.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b", boot.toString(), overlay.toString()));
        Path keys = dir.resolve("keys.img");
        new KeyDisk().write(keys, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBt4 it", profile.keyDisk().orElseThrow());
        Path firmware = profile.firmware().flatMap(Firmware::locate).orElseThrow(() ->
                new AssertionError(name + ": firmware missing; install " + profile.firmware().get().debianPackage()));
        try (FreePorts.PortLease lease = FreePorts.lease()) {
            boot(name, profile, overlay, keys, firmware, lease.port());
        }
    }

    private void boot(String name, DeviceProfile profile, Path overlay, Path keys, Path firmware, int port)
            throws Exception {
        var spec = new VmRuntimeSpec("it", "bsd", "/usr/bin/" + profile.arch().qemuBinary(), Accelerator.TCG, profile,
                Optional.of(FirmwareFiles.code(firmware)), Optional.empty(), 1, 256, overlay, Optional.empty(),
                List.of(new DataDisk(keys, "raw", "qc-keys", false)), List.of(),
                List.of(new UserNetwork("52:54:00:12:34:56", port, List.of(), true)), QemuRuntimeFiles.in(dir));
        boolean uefi = profile.firmware().get() != Firmware.SEABIOS;
        String expected = uefi ? "BdsDxe: failed to load Boot0001" : EchoBootSector.BANNER.strip();
        long start = System.nanoTime();
        try (TestVm vm = TestVm.start(dir, spec)) {
            // the whole line: the assertions below read what follows the fragment, which TCG's serial port may
            // still be writing (CI once saw "...Pci(0x1,0x0)/S" cut off)
            String log = awaitConsole(vm, expected, uefi);
            System.out.printf("%s: boot loader output after %.1f s%n", name, (System.nanoTime() - start) / 1e9);
            if (uefi && profile.disk().controller().isPresent()) {
                // the boot option UEFI made is the scsi-hd on the virtio-scsi controller
                assertThat(log).contains("\"UEFI QEMU QEMU HARDDISK \"").contains("Scsi(0x0,0x0)");
            }
        }
    }

    private static String awaitConsole(TestVm vm, String fragment, boolean wholeLine)
            throws IOException, InterruptedException {
        Path log = vm.files().consoleLog();
        long deadline = System.nanoTime() + BOOT.toNanos();
        while (true) {
            String text = Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1) : "";
            int at = text.indexOf(fragment);
            if (at >= 0 && (!wholeLine || text.indexOf('\n', at) >= 0)) {
                return text;
            }
            if (!vm.process.isAlive()) {
                throw new AssertionError("QEMU exited (" + vm.process.exitValue() + "): " + vm.qemuOutput());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + fragment + "' on the serial console within " + BOOT.toSeconds()
                        + " s; console: " + text + "; QEMU: " + vm.qemuOutput());
            }
            vm.process.waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS); // polled with a deadline; wakes on exit
        }
    }
}
