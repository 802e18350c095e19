package io.qemucompose.apply;

import io.qemucompose.desired.DesiredVm;
import io.qemucompose.desired.GuestMounts;
import io.qemucompose.driver.volume.VolumeStore;
import io.qemucompose.driver.qemu.DataDisk;
import io.qemucompose.driver.qemu.HostForward;
import io.qemucompose.driver.qemu.DeviceProfile;
import io.qemucompose.driver.qemu.DeviceProfiles;
import io.qemucompose.driver.qemu.Firmware;
import io.qemucompose.driver.qemu.FirmwareFiles;
import io.qemucompose.driver.qemu.FirmwareVariables;
import io.qemucompose.driver.qemu.QemuCommandLine;
import io.qemucompose.driver.qemu.QemuRuntimeFiles;
import io.qemucompose.driver.qemu.Share;
import io.qemucompose.driver.qemu.UserNetwork;
import io.qemucompose.driver.qemu.RelayedNetwork;
import io.qemucompose.driver.qemu.TapNetwork;
import io.qemucompose.driver.network.MacAddresses;
import io.qemucompose.driver.qemu.VmRuntimeSpec;
import io.qemucompose.driver.systemd.JournalFollower;
import io.qemucompose.driver.systemd.KillMode;
import io.qemucompose.driver.systemd.OutputTarget;
import io.qemucompose.driver.systemd.TransientUnit;
import io.qemucompose.spec.PortMapping;
import io.qemucompose.spec.VmSpec;
import io.qemucompose.state.ProjectLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A desired VM → the QEMU command line and the transient systemd unit that runs it. */
final class VmLaunch {

    /** 9p mount tags are {@code mount0}, {@code mount1}, … in the order of the VM's bind mounts. */
    static final String MOUNT_TAG_PREFIX = GuestMounts.TAG_PREFIX;
    /** The key disk's virtio serial, so it is never mistaken for a volume. */
    static final String KEY_DISK_SERIAL = "qc-keys";

    private VmLaunch() {}

    static VmRuntimeSpec runtimeSpec(ApplyContext ctx, DesiredVm vm, int sshPort) {
        VmSpec spec = vm.spec();
        ProjectLayout layout = ctx.layout();
        String name = vm.name();
        QemuRuntimeFiles files = new QemuRuntimeFiles(
                layout.reachableSocket(layout.qmpSocket(name)),
                layout.reachableSocket(layout.consoleSocket(name)),
                layout.consoleLog(name),
                layout.reachableSocket(layout.guestAgentSocket(name)),
                layout.qemuPidFile(name),
                layout.reachableSocket(layout.qmpEventsSocket(name)));
        List<Share> shares = new ArrayList<>();
        List<DataDisk> disks = new ArrayList<>();
        GuestMounts mounts = GuestMounts.of(spec);
        for (GuestMounts.Share9p s : mounts.shares()) {
            shares.add(new Share(s.source(), s.tag(), securityModel(runsAsRoot()), s.readOnly()));
        }
        for (GuestMounts.VolumeDisk v : mounts.disks()) {
            disks.add(new DataDisk(VolumeStore.disk(layout, v.volume()), "qcow2", v.serial(), v.readOnly()));
        }
        DeviceProfile profile = profile(spec);
        if (profile.keyDisk().isPresent()) {
            // read-write: the images' boot scripts mount it without -o ro
            disks.add(new DataDisk(layout.keyDisk(name), "raw", KEY_DISK_SERIAL, false));
        }
        List<HostForward> forwards = new ArrayList<>();
        for (PortMapping p : spec.ports()) {
            forwards.add(new HostForward(p.protocol() == PortMapping.Protocol.UDP ? HostForward.Protocol.UDP
                    : HostForward.Protocol.TCP, p.hostIp(), p.hostPort(), p.guestPort()));
        }
        UserNetwork net = new UserNetwork(mac(ctx.project().name(), name), sshPort, forwards,
                UserNetwork.restrictFromEnvironment(ctx.drivers().environment()));
        List<io.qemucompose.driver.qemu.NetworkAttachment> nics = new ArrayList<>();
        nics.add(net);
        // the management NIC first (SSH, readiness, ports, the way out), then one per bridge network
        // (rootless mode: the same NICs, their frames relayed into the project's namespace)
        boolean rootless = !spec.networks().isEmpty() && ctx.drivers().networkMode().rootless();
        for (int i = 0; i < spec.networks().size(); i++) {
            String network = spec.networks().get(i);
            nics.add(rootless ? relayedNic(ctx, name, i, network)
                    : new TapNetwork(io.qemucompose.spec.Names.tapName(ctx.project().name(), name, i),
                            MacAddresses.of(ctx.project().name(), name, network), "br" + i));
        }
        return new VmRuntimeSpec(ctx.project().name(), name, ctx.drivers().qemuBinary(spec.arch()),
                ctx.drivers().accelerator(spec.arch()), profile, firmware(ctx, profile, name),
                Optional.empty(), spec.cpu(), Math.toIntExact(spec.memoryMb()), layout.overlayDisk(name),
                profile.cloudInit() ? Optional.of(layout.seedIso(name)) : Optional.empty(), disks, shares, nics, files)
                .withVnc(spec.vnc().map(v -> vnc(layout, name, v)));
    }

    /** Bridge NIC {@code index} of a VM in rootless mode: QEMU's and the relay's sockets, short enough to bind. */
    static RelayedNetwork relayedNic(ApplyContext ctx, String vm, int index, String network) {
        ProjectLayout layout = ctx.layout();
        return new RelayedNetwork(layout.reachableSocket(layout.nicQemuSocket(vm, index)),
                layout.reachableSocket(layout.nicRelaySocket(vm, index)),
                MacAddresses.of(ctx.project().name(), vm, network), "br" + index);
    }

    /** The firmware on this host; a variable store is the VM's own file ({@link #ensureFirmwareVariables} makes it). */
    private static Optional<FirmwareFiles> firmware(ApplyContext ctx, DeviceProfile profile, String vm) {
        return profile.firmware().map(f -> new FirmwareFiles(ctx.drivers().firmware(f),
                f.hasVariables() ? Optional.of(ctx.layout().firmwareVariables(vm)) : Optional.empty()));
    }

    /** Before a start: the VM's UEFI variable store, copied from the firmware's template the first time. */
    static void ensureFirmwareVariables(ApplyContext ctx, DesiredVm vm) {
        Optional<Firmware> firmware = profile(vm.spec()).firmware().filter(Firmware::hasVariables);
        if (firmware.isPresent()) {
            Path template = ctx.drivers().firmwareVariableTemplate(firmware.get());
            if (FirmwareVariables.ensure(template, ctx.layout().firmwareVariables(vm.name()))) {
                ctx.progress().accept(vm.name() + ": created its UEFI variable store from " + template);
            }
        }
    }

    /** The VM's device profile; the spec has refused any OS/architecture without one. */
    static DeviceProfile profile(VmSpec spec) {
        return DeviceProfiles.of(spec.os(), spec.arch()).orElseThrow(() -> new IllegalStateException(
                "no device profile for " + spec.os().id() + " on " + spec.arch().platform()));
    }

    private static io.qemucompose.driver.qemu.VncDisplay vnc(ProjectLayout layout, String vm, io.qemucompose.spec.VncSpec v) {
        boolean password = v.password().isPresent();
        return v.display().<io.qemucompose.driver.qemu.VncDisplay>map(
                        d -> new io.qemucompose.driver.qemu.VncDisplay.Loopback(d, password))
                .orElseGet(() -> new io.qemucompose.driver.qemu.VncDisplay.UnixSocket(
                        layout.reachableSocket(layout.vncSocket(vm)), password));
    }

    static TransientUnit unit(ApplyContext ctx, DesiredVm vm, VmRuntimeSpec runtime) {
        ProjectLayout layout = ctx.layout();
        TransientUnit.Builder unit = TransientUnit.service(ctx.unitName(vm.name()), QemuCommandLine.argv(runtime));
        ctx.drivers().journalForwarding().ifPresent(journald -> {
            // journalctl --user -u <unit> (the seed's promise): QEMU's messages under the emulator's
            // name, as StandardError=journal would show them, and the console under the VM's name
            JournalFollower follower = new JournalFollower(journald.stdoutSocket(),
                    layout.journalFollowerPidFile(vm.name()), List.of(
                    new JournalFollower.Log(layout.unitLog(vm.name()), Path.of(runtime.qemuBinary()).getFileName().toString()),
                    new JournalFollower.Log(runtime.files().consoleLog(), vm.name())));
            unit.execStartPre(follower.start()).execStopPost(follower.finish());
        });
        return unit
                .description("qemu-compose VM " + vm.name() + " (project " + ctx.project().name() + ")")
                .workingDirectory(layout.vmDir(vm.name()))
                // the owner's folder: another folder of the same project name has the same unit name
                .environment(UnitOwnership.PROJECT_DIR_ENV, ctx.project().projectDir().toAbsolutePath().normalize().toString())
                .standardOutput(OutputTarget.append(layout.unitLog(vm.name())))
                .standardError(OutputTarget.append(layout.unitLog(vm.name())))
                .killMode(KillMode.MIXED)
                .timeoutStop(Duration.ofSeconds(30))
                .collectMode("inactive-or-failed")
                .build();
    }

    /**
     * Never {@code passthrough} as root: with it QEMU applies the guest's chown/chmod to the host
     * files as they are, so the guest's root could create a set-uid-root program in a shared folder
     * and any host user could run it as root. As root, {@code mapped-xattr} keeps the guest's
     * owners and modes in extended attributes (the host file stays owned by root, no set-uid bit);
     * as a normal user, {@code none} (host owners shown as they are, failed chowns ignored) is the
     * closest to a plain shared folder, and QEMU cannot create files that are not ours anyway.
     */
    static String securityModel(boolean root) {
        return root ? "mapped-xattr" : "none";
    }

    private static boolean runsAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** A stable, locally administered MAC per project and VM (QEMU's 52:54:00 prefix). */
    static String mac(String project, String vm) {
        return MacAddresses.userNic(project, vm);
    }
}
