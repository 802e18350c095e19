package io.qemucompose.cli.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Whether VMs can use KVM. A readable /dev/kvm is not proof: on some hosts it opens but a guest
 * never runs, so the real answer needs a guest probe (io.qemucompose.driver.kvm.KvmProbe, from
 * the drivers work). Until it is wired in, this reports what the device alone tells.
 */
public interface KvmCheck {

    Finding check();

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
