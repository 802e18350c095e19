package io.qemucompose.driver.kvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvmProbeTest {

    @Test
    void withoutDevKvmTheAnswerIsTcgAndItIsCached(@TempDir Path dir) {
        var probe = new KvmProbe("/bin/false", dir.resolve("no-kvm"), dir.resolve("cache/kvm.json"), Duration.ofSeconds(2));

        var first = probe.probe();
        assertThat(first.usable()).isFalse();
        assertThat(first.reason()).contains("does not exist");
        assertThat(first.cached()).isFalse();
        assertThat(dir.resolve("cache/kvm.json")).exists();

        var second = probe.probe();
        assertThat(second.cached()).isTrue();
        assertThat(second.reason()).isEqualTo(first.reason());
        assertThat(probe.choose()).isEqualTo(Accelerator.TCG);
    }

    @Test
    void aChangedHostInvalidatesTheCachedAnswer(@TempDir Path dir) throws Exception {
        Path kvm = dir.resolve("kvm");
        var probe = new KvmProbe("/bin/false", kvm, dir.resolve("kvm.json"), Duration.ofSeconds(2));
        assertThat(probe.probe().reason()).contains("does not exist");

        Files.createFile(kvm); // the device appeared: probe again, this time by booting (which fails here)
        var again = probe.probe();
        assertThat(again.cached()).isFalse();
        assertThat(again.usable()).isFalse();
        assertThat(again.reason()).contains("exited (1)");
    }

    @Test
    void aCorruptCacheIsIgnored(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("kvm.json");
        Files.writeString(cache, "{not json");
        var probe = new KvmProbe("/bin/false", dir.resolve("no-kvm"), cache, Duration.ofSeconds(2));
        assertThat(probe.probe().cached()).isFalse();
        assertThat(Files.readString(cache)).contains("\"usable\":false");
    }
}
