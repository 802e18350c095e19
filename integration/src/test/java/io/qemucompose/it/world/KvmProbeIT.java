package io.qemucompose.it.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.driver.kvm.Accelerator;
import io.qemucompose.driver.kvm.KvmProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The functional KVM probe on this host, with a real QEMU. */
class KvmProbeIT {

    @Test
    void probePayloadBootsToItsMarkerUnderTcg(@TempDir Path dir) {
        var probe = new KvmProbe("qemu-system-x86_64", Path.of("/dev/kvm"), dir.resolve("kvm.json"), KvmProbe.DEFAULT_DEADLINE);
        var tcg = probe.boot(Accelerator.TCG);
        assertThat(tcg.usable()).as(tcg.reason()).isTrue();
        assertThat(tcg.elapsed()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void kvmIsUsableOnlyWhenTheCpuExposesVirtualizationAndTheAnswerIsCached(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("kvm.json");
        var probe = new KvmProbe("qemu-system-x86_64", Path.of("/dev/kvm"), cache, KvmProbe.DEFAULT_DEADLINE);
        var first = probe.probe();
        System.out.println("KVM probe: usable=" + first.usable() + " in " + first.elapsed().toMillis() + " ms: " + first.reason());
        assertThat(first.cached()).isFalse();
        assertThat(first.elapsed()).isLessThan(KvmProbe.DEFAULT_DEADLINE.plusSeconds(3));
        boolean cpuHasVirtualization = Files.readString(Path.of("/proc/cpuinfo")).matches("(?s).*\\b(vmx|svm)\\b.*");
        if (!cpuHasVirtualization) {
            // nested without vmx/svm: /dev/kvm may open, but guests do not run
            assertThat(first.usable()).as(first.reason()).isFalse();
        }
        assertThat(probe.choose()).isEqualTo(first.usable() ? Accelerator.KVM : Accelerator.TCG);

        var second = probe.probe();
        assertThat(second.cached()).isTrue();
        assertThat(second.usable()).isEqualTo(first.usable());
        assertThat(Files.readString(cache)).contains("qemu=QEMU emulator version");
    }
}
