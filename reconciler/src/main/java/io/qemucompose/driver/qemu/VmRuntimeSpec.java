package io.qemucompose.driver.qemu;

import io.qemucompose.driver.kvm.Accelerator;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to start one VM's QEMU process, already resolved (absolute paths, leased ports,
 * chosen accelerator). {@link QemuCommandLine} turns it into an argv.
 *
 * @param project    the compose project name (used in the process name)
 * @param name       the VM name
 * @param qemuBinary e.g. {@code qemu-system-x86_64} or an absolute path
 * @param cpuModel   empty for the accelerator's default ({@code host} under KVM, {@code qemu64} under TCG)
 * @param profile    the guest's virtual hardware (machine, CPU, NIC and disk models, firmware)
 * @param firmware   the profile's firmware files, found on this host, and the VM's variable store when the
 *                   profile keeps one (empty when the profile needs no firmware)
 * @param seedIso    the cloud-init NoCloud seed, attached as the profile says
 * @param incomingDeferred start with the CPUs stopped, waiting for a saved state over QMP
 *                   ({@code migrate-incoming}) instead of booting: how a suspended VM resumes
 */
public record VmRuntimeSpec(
        String project,
        String name,
        String qemuBinary,
        Accelerator accelerator,
        DeviceProfile profile,
        Optional<FirmwareFiles> firmware,
        Optional<String> cpuModel,
        int cpus,
        int memoryMb,
        Path overlayDisk,
        Optional<Path> seedIso,
        List<DataDisk> dataDisks,
        List<Share> shares,
        List<NetworkAttachment> networks,
        QemuRuntimeFiles files,
        boolean incomingDeferred,
        Optional<VncDisplay> vnc) {

    /** A VM that boots (no saved state to receive), without a VNC display. */
    public VmRuntimeSpec(String project, String name, String qemuBinary, Accelerator accelerator, DeviceProfile profile,
            Optional<FirmwareFiles> firmware, Optional<String> cpuModel, int cpus, int memoryMb, Path overlayDisk,
            Optional<Path> seedIso, List<DataDisk> dataDisks, List<Share> shares, List<NetworkAttachment> networks,
            QemuRuntimeFiles files) {
        this(project, name, qemuBinary, accelerator, profile, firmware, cpuModel, cpus, memoryMb, overlayDisk, seedIso,
                dataDisks, shares, networks, files, false, Optional.empty());
    }

    /** The same machine, started to receive a saved state rather than to boot. */
    public VmRuntimeSpec resuming() {
        return new VmRuntimeSpec(project, name, qemuBinary, accelerator, profile, firmware, cpuModel, cpus, memoryMb,
                overlayDisk, seedIso, dataDisks, shares, networks, files, true, vnc);
    }

    /** The same machine with a VNC display (or none). */
    public VmRuntimeSpec withVnc(Optional<VncDisplay> display) {
        return new VmRuntimeSpec(project, name, qemuBinary, accelerator, profile, firmware, cpuModel, cpus, memoryMb,
                overlayDisk, seedIso, dataDisks, shares, networks, files, incomingDeferred, display);
    }

    public VmRuntimeSpec {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(qemuBinary, "qemuBinary");
        Objects.requireNonNull(accelerator, "accelerator");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(firmware, "firmware");
        if (profile.firmware().isPresent() != firmware.isPresent()) {
            throw new IllegalArgumentException("VM " + name + ": profile " + profile.name()
                    + (firmware.isPresent() ? " takes no firmware file" : " needs its firmware file " + profile.firmware().get().file()));
        }
        if (firmware.isPresent() && profile.firmware().get().hasVariables() != firmware.get().variables().isPresent()) {
            throw new IllegalArgumentException("VM " + name + ": profile " + profile.name()
                    + (firmware.get().variables().isPresent() ? " keeps no UEFI variable store"
                            : " needs the VM's UEFI variable store"));
        }
        if (seedIso.isPresent() && !profile.cloudInit()) {
            throw new IllegalArgumentException("VM " + name + ": profile " + profile.name() + " has no cloud-init seed");
        }
        if (!shares.isEmpty() && !profile.shares9p()) {
            throw new IllegalArgumentException("VM " + name + ": profile " + profile.name() + " mounts no 9p shares");
        }
        Objects.requireNonNull(cpuModel, "cpuModel");
        Objects.requireNonNull(overlayDisk, "overlayDisk");
        Objects.requireNonNull(seedIso, "seedIso");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(vnc, "vnc");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("VM name '" + name + "' must start with a letter or digit and use only letters, digits, '_', '.', '-'");
        }
        if (cpus < 1 || cpus > 288) {
            throw new IllegalArgumentException("VM " + name + ": cpus " + cpus + " is outside 1-288");
        }
        if (memoryMb < 16) {
            throw new IllegalArgumentException("VM " + name + ": memory " + memoryMb + " MiB is below 16 MiB");
        }
        overlayDisk = overlayDisk.toAbsolutePath().normalize();
        seedIso = seedIso.map(p -> p.toAbsolutePath().normalize());
        dataDisks = List.copyOf(dataDisks);
        shares = List.copyOf(shares);
        networks = List.copyOf(networks);
        requireUnique(name, dataDisks.stream().map(DataDisk::serial).toList(), "disk serial");
        requireUnique(name, shares.stream().map(Share::mountTag).toList(), "9p mount tag");
        requireUnique(name, networks.stream().map(n -> n.mac().toLowerCase(java.util.Locale.ROOT)).toList(), "MAC address");
    }

    /**
     * The Linux x86-64 profile with the given machine type: the shape every VM had before there
     * were profiles.
     */
    public VmRuntimeSpec(String project, String name, String qemuBinary, Accelerator accelerator, MachineType machine,
            Optional<String> cpuModel, int cpus, int memoryMb, Path overlayDisk, Optional<Path> seedIso,
            List<DataDisk> dataDisks, List<Share> shares, List<NetworkAttachment> networks, QemuRuntimeFiles files) {
        this(project, name, qemuBinary, accelerator, DeviceProfiles.linuxX86(machine), Optional.empty(), cpuModel,
                cpus, memoryMb, overlayDisk, seedIso, dataDisks, shares, networks, files);
    }

    public MachineType machine() {
        return profile.machine();
    }

    public String effectiveCpuModel() {
        return cpuModel.orElse(profile.cpu(accelerator));
    }

    private static void requireUnique(String name, List<String> values, String what) {
        var seen = new java.util.HashSet<String>();
        for (String value : values) {
            if (!seen.add(value)) {
                throw new IllegalArgumentException("VM " + name + ": " + what + " '" + value + "' is used twice");
            }
        }
    }
}
