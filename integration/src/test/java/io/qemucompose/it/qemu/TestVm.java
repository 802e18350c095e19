package io.qemucompose.it.qemu;

import io.qemucompose.driver.kvm.Accelerator;
import io.qemucompose.driver.qemu.DataDisk;
import io.qemucompose.driver.qemu.MachineType;
import io.qemucompose.driver.qemu.NetworkAttachment;
import io.qemucompose.driver.qemu.QemuCommandLine;
import io.qemucompose.driver.qemu.QemuRuntimeFiles;
import io.qemucompose.driver.qemu.Share;
import io.qemucompose.driver.qemu.VmRuntimeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real QEMU (TCG) started from {@link QemuCommandLine}, booting {@link EchoBootSector} from a qcow2
 * overlay. Always stopped by {@link #close()}, by PID, even when the test failed.
 */
final class TestVm implements AutoCloseable {

    final Path dir;
    final VmRuntimeSpec spec;
    final Process process;

    private TestVm(Path dir, VmRuntimeSpec spec, Process process) {
        this.dir = dir;
        this.spec = spec;
        this.process = process;
    }

    static VmRuntimeSpec echoSpec(Path dir, String name, List<DataDisk> disks, List<Share> shares,
                                  List<NetworkAttachment> networks, Optional<Path> seed) throws IOException, InterruptedException {
        Path boot = EchoBootSector.write(dir.resolve("boot.raw"));
        Path overlay = dir.resolve("disk.qcow2");
        run(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b", boot.toString(), overlay.toString()));
        return new VmRuntimeSpec("it", name, "qemu-system-x86_64", Accelerator.TCG, MachineType.PC, Optional.empty(),
                1, 64, overlay, seed, disks, shares, networks, QemuRuntimeFiles.in(dir));
    }

    static TestVm start(Path dir, VmRuntimeSpec spec) throws IOException {
        Process process = new ProcessBuilder(QemuCommandLine.argv(spec))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.out").toFile())
                .start();
        return new TestVm(dir, spec, process);
    }

    static TestVm startEcho(Path dir) throws IOException, InterruptedException {
        return start(dir, echoSpec(dir, "echo", List.of(), List.of(), List.of(), Optional.empty()));
    }

    QemuRuntimeFiles files() {
        return spec.files();
    }

    String qemuOutput() throws IOException {
        return Files.readString(dir.resolve("qemu.out"));
    }

    static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(command + " failed: " + out);
        }
    }

    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
