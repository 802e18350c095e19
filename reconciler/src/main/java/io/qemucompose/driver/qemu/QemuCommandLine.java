package io.qemucompose.driver.qemu;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.StringJoiner;

/**
 * Turns a {@link VmRuntimeSpec} into QEMU's argv. Pure: no files are touched, nothing is started.
 *
 * <p>Choices that matter:
 * <ul>
 *   <li>{@code -nodefaults -no-user-config}: no default NIC, VGA, floppy or CD-ROM, no host config
 *       file; every device is named here, so the argv alone describes the VM.</li>
 *   <li>The sockets are servers with {@code wait=off}: QEMU starts the guest without waiting for a
 *       client, and creates each socket before the guest runs.</li>
 *   <li>The serial console keeps a log file ({@code logappend=on}) whether or not anybody is attached.</li>
 *   <li>QEMU exits when the guest powers off (no {@code -no-shutdown}): process exit means "stopped".</li>
 * </ul>
 */
public final class QemuCommandLine {

    public static final String SERIAL_CHARDEV_ID = "serial0";
    public static final String GUEST_AGENT_CHARDEV_ID = "qga0";
    public static final String GUEST_AGENT_PORT_NAME = "org.qemu.guest_agent.0";

    private QemuCommandLine() {
    }

    public static List<String> argv(VmRuntimeSpec spec) {
        var args = new ArrayList<String>();
        QemuRuntimeFiles files = spec.files();
        DeviceProfile profile = spec.profile();
        args.add(spec.qemuBinary());
        args.addAll(List.of("-name", opts("guest=" + escape(spec.name()),
                // the kernel keeps 15 bytes of a thread name; enough to tell VMs apart in top
                "process=" + escape("qemu-" + spec.project() + "-" + spec.name()),
                "debug-threads=on")));
        args.addAll(List.of("-nodefaults", "-no-user-config"));
        args.addAll(List.of("-machine", spec.machine().qemuName()));
        args.addAll(spec.accelerator().qemuArgs());
        args.addAll(List.of("-cpu", spec.effectiveCpuModel()));
        args.addAll(List.of("-smp", Integer.toString(spec.cpus())));
        args.addAll(List.of("-m", spec.memoryMb() + "M"));
        args.addAll(List.of("-display", "none"));
        args.addAll(profile.extraArgs());
        spec.firmware().ifPresent(fw -> args.addAll(firmware(profile.firmware().orElseThrow().mode(), fw)));
        args.addAll(List.of("-pidfile", files.pidFile().toString()));

        args.addAll(List.of("-qmp", "unix:" + escape(files.qmpSocket().toString()) + ",server=on,wait=off"));
        // a second monitor for event followers: QEMU serves one client per monitor
        args.addAll(List.of("-qmp", "unix:" + escape(files.qmpEventsSocket().toString()) + ",server=on,wait=off"));

        args.addAll(List.of("-chardev", opts("socket", "id=" + SERIAL_CHARDEV_ID,
                "path=" + escape(files.consoleSocket().toString()), "server=on", "wait=off",
                "logfile=" + escape(files.consoleLog().toString()), "logappend=on")));
        args.addAll(List.of("-serial", "chardev:" + SERIAL_CHARDEV_ID));

        if (profile.guestAgent()) {
            args.addAll(List.of("-device", "virtio-serial-pci,id=virtio-serial0"));
            args.addAll(List.of("-chardev", opts("socket", "id=" + GUEST_AGENT_CHARDEV_ID,
                    "path=" + escape(files.guestAgentSocket().toString()), "server=on", "wait=off")));
            args.addAll(List.of("-device", opts("virtserialport", "bus=virtio-serial0.0",
                    "chardev=" + GUEST_AGENT_CHARDEV_ID, "name=" + GUEST_AGENT_PORT_NAME)));
        }

        DiskBus bus = profile.disk();
        bus.controller().ifPresent(controller -> args.addAll(List.of("-device", controller)));
        var bootDrive = new ArrayList<>(List.of("file=" + escape(spec.overlayDisk().toString()), "if=none",
                "id=disk0", "format=qcow2"));
        bootDrive.addAll(profile.diskOptions());
        args.addAll(List.of("-drive", opts(bootDrive)));
        var bootDevice = new ArrayList<>(List.of(bus.device(), "drive=disk0", "bootindex=0"));
        bus.pciAddress().ifPresent(addr -> bootDevice.add("addr=" + addr));
        args.addAll(List.of("-device", opts(bootDevice)));

        int index = 1;
        for (DataDisk disk : spec.dataDisks()) {
            String id = "disk" + index++;
            var drive = new ArrayList<>(List.of("file=" + escape(disk.path().toString()), "if=none",
                    "id=" + id, "format=" + disk.format()));
            if (disk.readOnly()) {
                drive.add("readonly=on");
            }
            args.addAll(List.of("-drive", opts(drive)));
            args.addAll(List.of("-device", opts("virtio-blk-pci", "drive=" + id, "serial=" + disk.serial())));
        }

        spec.seedIso().ifPresent(seed -> args.addAll(seedDrive(profile.seed(), seed.toString())));

        int share = 0;
        for (Share s : spec.shares()) {
            var fs = new ArrayList<>(List.of("local", "id=fs" + share++, "path=" + escape(s.hostPath().toString()),
                    "mount_tag=" + s.mountTag(), "security_model=" + s.securityModel()));
            if (s.readOnly()) {
                fs.add("readonly=on");
            }
            args.addAll(List.of("-virtfs", opts(fs)));
        }

        int nic = 0;
        var netdevIds = new HashSet<String>();
        for (NetworkAttachment network : spec.networks()) {
            String id = switch (network) {
                case UserNetwork user -> "net" + nic;
                case TapNetwork tap -> tap.netdevId();
                case RelayedNetwork relayed -> relayed.netdevId();
            };
            nic++;
            if (!netdevIds.add(id)) {
                throw new IllegalArgumentException("netdev id '" + id + "' is used by two NICs of VM " + spec.name());
            }
            switch (network) {
                case UserNetwork user -> args.addAll(List.of("-netdev", userNetdev(id, user, profile.userNetIpv6Off())));
                // script=no/downscript=no: the TAP exists and sits on its bridge already, and QEMU must not run
                // /etc/qemu-ifup as the VM's user. vhost=off: vhost-net needs /dev/vhost-net, which an
                // unprivileged QEMU cannot open, and brings nothing under TCG.
                case TapNetwork tap -> args.addAll(List.of("-netdev", opts("tap", "id=" + id, "ifname=" + tap.ifname(),
                        "script=no", "downscript=no", "vhost=off")));
                // QEMU binds its own socket and sends to the relay's; a frame sent before the relay
                // is up is dropped, as on a cable not yet plugged in
                case RelayedNetwork relayed -> args.addAll(List.of("-netdev", opts("dgram", "id=" + id,
                        "local.type=unix", "local.path=" + relayed.qemuSocket(),
                        "remote.type=unix", "remote.path=" + relayed.relaySocket())));
            }
            // the management NIC takes the profile's model and slot (the guest's driver expects it there)
            NicModel model = network instanceof UserNetwork ? profile.nic() : NicModel.VIRTIO_NET_PCI;
            var device = new ArrayList<>(List.of(model.device(), "netdev=" + id));
            model.pciAddress().ifPresent(addr -> device.add("addr=" + addr));
            device.add("mac=" + network.mac());
            args.addAll(List.of("-device", opts(device)));
        }
        if (spec.incomingDeferred()) {
            // "defer", not the stream's URI: the caller turns on migration events over QMP first and
            // then says where the state is (migrate-incoming), so no path is ever part of the argv
            args.addAll(List.of("-incoming", "defer"));
        }
        spec.vnc().ifPresent(vnc -> args.addAll(vnc(vnc)));
        return List.copyOf(args);
    }

    /**
     * VNC on a Unix socket or 127.0.0.1 only. {@code password=on} without a password refuses every
     * client until {@code set_password} arrives over QMP: the secret never appears in argv, which
     * any user can read in /proc. {@code -nodefaults} left no graphics card, so a VGA is added.
     */
    private static List<String> vnc(VncDisplay vnc) {
        var where = new ArrayList<String>();
        switch (vnc) {
            case VncDisplay.UnixSocket u -> where.add("unix:" + escape(u.socket().toString()));
            case VncDisplay.Loopback l when l.display().isPresent() -> where.add("127.0.0.1:" + l.display().getAsInt());
            // QEMU takes the first display from 0 to `to` whose port is free
            case VncDisplay.Loopback l -> where.addAll(List.of("127.0.0.1:0", "to=" + VncDisplay.Loopback.LAST_DISPLAY));
        }
        if (vnc.password()) {
            where.add("password=on");
        }
        return List.of("-device", "VGA", "-vnc", opts(where));
    }

    private static List<String> firmware(Firmware.Mode mode, FirmwareFiles files) {
        String code = files.code().toString();
        return switch (mode) {
            case BIOS -> List.of("-bios", code);
            // read-only: the code half of UEFI; nothing the guest writes can change what boots next time
            case PFLASH_READ_ONLY -> List.of("-drive", opts("if=pflash", "format=raw", "unit=0",
                    "file=" + escape(code), "readonly=on"));
            // the same code, and the VM's own variable store as the second bank (UEFI writes its boot entries there)
            case PFLASH_WITH_VARIABLES -> List.of(
                    "-drive", opts("if=pflash", "format=raw", "unit=0", "file=" + escape(code), "readonly=on"),
                    "-drive", opts("if=pflash", "format=raw", "unit=1",
                            "file=" + escape(files.variables().orElseThrow().toString())));
        };
    }

    private static List<String> seedDrive(DeviceProfile.SeedDrive how, String seed) {
        return switch (how) {
            case IDE_CDROM -> List.of("-drive",
                    opts("file=" + escape(seed), "if=ide", "media=cdrom", "format=raw", "readonly=on"));
            case VIRTIO_BLK -> List.of("-drive", opts("file=" + escape(seed), "if=none", "id=seed0", "format=raw",
                    "readonly=on"), "-device", "virtio-blk-pci,drive=seed0");
            case NONE -> throw new IllegalArgumentException("this profile takes no cloud-init seed");
        };
    }

    private static String userNetdev(String id, UserNetwork user, boolean ipv6Off) {
        var parts = new ArrayList<>(List.of("user", "id=" + id));
        if (user.restrict()) {
            parts.add("restrict=on");
        }
        parts.add("hostfwd=tcp:127.0.0.1:" + user.sshHostPort() + "-:22");
        for (HostForward f : user.forwards()) {
            parts.add("hostfwd=" + f.protocol().name().toLowerCase(java.util.Locale.ROOT) + ":" + f.hostIp() + ":"
                    + f.hostPort() + "-:" + f.guestPort());
        }
        if (ipv6Off) {
            parts.add("ipv6=off");
        }
        return opts(parts);
    }

    /** QEMU option values escape a comma by doubling it; anything else is taken literally. */
    static String escape(String value) {
        return value.replace(",", ",,");
    }

    private static String opts(String... parts) {
        return opts(List.of(parts));
    }

    private static String opts(List<String> parts) {
        var joiner = new StringJoiner(",");
        parts.forEach(joiner::add);
        return joiner.toString();
    }
}
