package io.qemucompose.driver.kvm;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.spec.GuestArch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AcceleratorChoiceTest {

    @Test
    void anotherArchitectureIsEmulatedWithoutRunningTheProbe() {
        var probes = new AtomicInteger();
        Accelerator chosen = Accelerator.forGuest(GuestArch.AARCH64, GuestArch.X86_64, () -> {
            probes.incrementAndGet();
            return Accelerator.KVM;
        });
        assertThat(chosen).isEqualTo(Accelerator.TCG);
        assertThat(probes).hasValue(0);
    }

    @Test
    void theHostsOwnArchitectureTakesWhatTheProbeSays() {
        assertThat(Accelerator.forGuest(GuestArch.X86_64, GuestArch.X86_64, () -> Accelerator.KVM)).isEqualTo(Accelerator.KVM);
        assertThat(Accelerator.forGuest(GuestArch.X86_64, GuestArch.X86_64, () -> Accelerator.TCG)).isEqualTo(Accelerator.TCG);
        assertThat(Accelerator.forGuest(GuestArch.AARCH64, GuestArch.AARCH64, () -> Accelerator.KVM)).isEqualTo(Accelerator.KVM);
    }

    @Test
    void platformStringsAsDockerSpellsThem() {
        assertThat(GuestArch.parsePlatform("linux/amd64")).contains(GuestArch.X86_64);
        assertThat(GuestArch.parsePlatform("linux/arm64/v8")).contains(GuestArch.AARCH64);
        assertThat(GuestArch.parsePlatform("linux/aarch64")).contains(GuestArch.AARCH64);
        assertThat(GuestArch.parsePlatform("windows/amd64")).isEmpty();
        assertThat(GuestArch.parsePlatform("linux/riscv64")).isEmpty();
        assertThat(GuestArch.ofHost("amd64")).contains(GuestArch.X86_64);
    }
}
