package io.qemucompose.driver.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qemucompose.spec.SubnetSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubnetRegistryTest {

    private static final SubnetSpec AUTO = new SubnetSpec.Auto();

    @TempDir
    Path tmp;

    private SubnetRegistry registry() {
        return new SubnetRegistry(tmp.resolve("state"));
    }

    private Path project(String name) throws IOException {
        return Files.createDirectories(tmp.resolve(name));
    }

    @Test
    void sameNetworkGetsTheSameSubnetAcrossCallsAndInstances() throws IOException {
        Path shop = project("shop");
        var first = registry().acquire(shop, "backend", AUTO, List.of());
        var again = new SubnetRegistry(tmp.resolve("state")).acquire(shop, "backend", AUTO, List.of());
        assertThat(first.cidr()).isEqualTo(Ipv4Cidr.parse("172.16.0.0/24"));
        assertThat(again).isEqualTo(first);
        assertThat(registry().find(shop, "backend")).contains(first);
    }

    @Test
    void otherNetworksAndProjectsGetOtherSubnets() throws IOException {
        Path shop = project("shop");
        Path blog = project("blog");
        var backend = registry().acquire(shop, "backend", AUTO, List.of());
        var front = registry().acquire(shop, "front", AUTO, List.of());
        var blogNet = registry().acquire(blog, "backend", AUTO, List.of(Ipv4Cidr.parse("172.16.2.0/24")));
        assertThat(List.of(backend.cidr(), front.cidr(), blogNet.cidr())).extracting(Ipv4Cidr::toString)
                .containsExactly("172.16.0.0/24", "172.16.1.0/24", "172.16.3.0/24");
    }

    @Test
    void releaseFreesTheSubnetForTheNextNetwork() throws IOException {
        Path shop = project("shop");
        registry().acquire(shop, "backend", AUTO, List.of());
        assertThat(registry().release(shop, "backend")).isTrue();
        assertThat(registry().release(shop, "backend")).isFalse();
        assertThat(registry().acquire(project("blog"), "n", AUTO, List.of()).cidr())
                .isEqualTo(Ipv4Cidr.parse("172.16.0.0/24"));
    }

    @Test
    void entriesOfDeletedProjectsAreDroppedWhenTheNextSubnetIsHandedOut() throws IOException {
        Path gone = project("gone");
        registry().acquire(gone, "n", AUTO, List.of());
        Files.delete(gone);
        var next = registry().acquire(project("new"), "n", AUTO, List.of());
        assertThat(next.cidr()).isEqualTo(Ipv4Cidr.parse("172.16.0.0/24"));
        assertThat(registry().all()).containsExactly(next);
    }

    @Test
    void aLeftoverBridgeOfADeletedProjectStillBlocksItsSubnetThroughUsedPrefixes() throws IOException {
        Path gone = project("gone");
        var old = registry().acquire(gone, "n", AUTO, List.of());
        Files.delete(gone);
        var next = registry().acquire(project("new"), "n", AUTO, List.of(old.cidr()));
        assertThat(next.cidr()).isNotEqualTo(old.cidr());
    }

    @Test
    void fixedSubnetTakenByAnotherProjectIsRefusedAndNothingIsRecorded() throws IOException {
        registry().acquire(project("shop"), "n", SubnetSpec.Fixed.parse("10.50.0.0/24"), List.of());
        Path blog = project("blog");
        assertThatThrownBy(() -> registry().acquire(blog, "n", SubnetSpec.Fixed.parse("10.50.0.0/16"), List.of()))
                .isInstanceOf(SubnetException.class).hasMessageContaining("overlaps 10.50.0.0/24");
        assertThat(registry().find(blog, "n")).isEmpty();
    }

    @Test
    void concurrentAcquiresInOneProcessNeverShareASubnet() throws Exception {
        List<Path> projects = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            projects.add(project("p" + i));
        }
        List<Ipv4Cidr> got = Collections.synchronizedList(new ArrayList<>());
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Path p : projects) {
                pool.submit(() -> got.add(new SubnetRegistry(tmp.resolve("state")).acquire(p, "n", AUTO, List.of()).cidr()));
            }
        }
        assertThat(got).hasSize(16).doesNotHaveDuplicates();
    }

    @Test
    void twoProcessesAcquiringAtOnceNeverShareASubnet() throws Exception {
        int perProcess = 12;
        Path state = tmp.resolve("state");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process other = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SubnetRegistryRacer.class.getName(), state.toString(), tmp.toString(), "other", Integer.toString(perProcess))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            var fromOther = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
            assertThat(fromOther.readLine()).isEqualTo("ready");
            other.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
            other.getOutputStream().flush();
            List<String> cidrs = new ArrayList<>();
            for (int i = 0; i < perProcess; i++) {
                cidrs.add(registry().acquire(project("mine-" + i), "n", AUTO, List.of()).cidr().toString());
            }
            fromOther.lines().forEach(line -> cidrs.add(line.strip()));
            assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(other.exitValue()).isZero();
            assertThat(cidrs).hasSize(2 * perProcess).doesNotHaveDuplicates();
            assertThat(registry().all()).hasSize(2 * perProcess);
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void unreadableRegistrySaysHowToRecover() throws IOException {
        Files.createDirectories(tmp.resolve("state"));
        Files.writeString(registry().registryFile(), "{not json");
        assertThatThrownBy(() -> registry().all()).isInstanceOf(SubnetException.class)
                .hasMessageContaining("is unreadable").hasMessageContaining("remove it to start afresh");
    }
}
