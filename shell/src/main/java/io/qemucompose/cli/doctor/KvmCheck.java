package io.qemucompose.cli.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import io.qemucompose.driver.kvm.KvmProbe;

/**
 * Whether VMs can use KVM. A readable /dev/kvm is not proof: on some hosts it opens but a guest
 * never runs, so the answer comes from {@link KvmProbe}, which boots a tiny guest (its answer is
 * cached per kernel, QEMU version and device state).
 */
public interface KvmCheck {

    Finding check();

    /** Asks the probe; {@code fresh} ignores its cached answer. */
    static KvmCheck probing(KvmProbe probe, Path device, boolean fresh) {
        return () -> {
            KvmProbe.Result result = fresh ? probe.probeNow() : probe.probe();
            String source = result.cached() ? " (cached; `doctor --reprobe` to re-check)" : "";
            if (result.usable()) {
                return Finding.ok("KVM", result.reason() + source);
            }
            String what = Files.exists(device) && Files.isReadable(device) && Files.isWritable(device)
                    ? device + " opens but a guest does not run (" + result.reason() + ")"
                    : result.reason();
            return Finding.warning("KVM", what + " → VMs use TCG (emulation, slower)" + source);
        };
    }

    /** Looks at the device only: exists and opens read-write. */
    static KvmCheck deviceOnly(Path device) {
        return () -> {
            String name = "KVM";
            if (!Files.exists(device)) {
                return Finding.warning(name, device + " does not exist: VMs fall back to TCG (emulation, much slower)");
            }
            try (var channel = Files.newByteChannel(device, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                return Finding.warning(name, device + " opens, but no guest was probed yet; if a guest hangs,"
                        + " VMs fall back to TCG");
            } catch (IOException | SecurityException e) {
                return Finding.warning(name, device + " does not open (" + e.getMessage()
                        + "): VMs fall back to TCG; add yourself to the kvm group");
            }
        };
    }
}
