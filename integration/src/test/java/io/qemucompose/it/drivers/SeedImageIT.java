package io.qemucompose.it.drivers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.qemucompose.driver.DependencyMissingException;
import io.qemucompose.driver.ExternalCommand;
import io.qemucompose.driver.cloudinit.CloudInitConfig;
import io.qemucompose.driver.cloudinit.RenderedSeed;
import io.qemucompose.driver.cloudinit.SeedImage;
import io.qemucompose.driver.cloudinit.SeedRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SeedImage with the real genisoimage, read back with isoinfo (shipped by the genisoimage package). */
class SeedImageIT {

    private static final ExternalCommand ISOINFO = new ExternalCommand("isoinfo", "genisoimage");

    @TempDir
    Path tmp;

    @Test
    void seedIsoIsACidataVolumeWithUserDataAndMetaData() {
        RenderedSeed seed = new SeedRenderer().render(CloudInitConfig.of("web", "debian",
                List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG9mZmxpbmUga2V5IGZvciB0ZXN0aW5nIG9ubHkgISE= t"))
                .withNic(CloudInitConfig.NicConfig.dhcp("eth0", "52:54:00:12:34:56")));
        Path iso = tmp.resolve("web/cloud-init.iso");

        new SeedImage().write(iso, seed);

        assertThat(isoinfo("-d", "-i", iso.toString())).contains("Volume id: cidata");
        assertThat(isoinfo("-f", "-R", "-i", iso.toString()).lines())
                .containsExactlyInAnyOrder("/user-data", "/meta-data", "/network-config");
        assertThat(isoinfo("-R", "-i", iso.toString(), "-x", "/user-data")).isEqualTo(seed.userData());
        assertThat(isoinfo("-R", "-i", iso.toString(), "-x", "/meta-data")).isEqualTo(seed.metaData());
        try (var files = Files.list(iso.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("cloud-init.iso");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void rewritingReplacesTheSeedAtomically() {
        SeedRenderer renderer = new SeedRenderer();
        Path iso = tmp.resolve("cloud-init.iso");
        new SeedImage().write(iso, renderer.render(CloudInitConfig.of("web", "debian", List.of())));
        RenderedSeed second = renderer.render(CloudInitConfig.of("web", "debian", List.of()).withRuncmd("echo hi"));

        new SeedImage().write(iso, second);

        assertThat(isoinfo("-R", "-i", iso.toString(), "-x", "/meta-data")).contains(second.instanceId());
        assertThat(isoinfo("-f", "-R", "-i", iso.toString()).lines()).containsExactlyInAnyOrder("/user-data", "/meta-data");
    }

    @Test
    void missingGenisoimageNamesTheDebianPackage() {
        SeedImage seedImage = new SeedImage(new ExternalCommand("genisoimage-absent", "genisoimage"));
        assertThatThrownBy(() -> seedImage.write(tmp.resolve("x.iso"),
                new SeedRenderer().render(CloudInitConfig.of("web", "debian", List.of()))))
                .isInstanceOf(DependencyMissingException.class)
                .hasMessageContaining("apt-get install genisoimage");
        assertThat(tmp.resolve("x.iso")).doesNotExist();
    }

    private static String isoinfo(String... args) {
        ExternalCommand.Result r = ISOINFO.run(List.of(args), Duration.ofSeconds(30));
        assertThat(r.succeeded()).as(r.stderr()).isTrue();
        return r.stdout();
    }
}
