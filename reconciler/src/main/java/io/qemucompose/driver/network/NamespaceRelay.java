package io.qemucompose.driver.network;

import io.qemucompose.driver.qemu.RelayedNetwork;
import io.qemucompose.driver.systemd.ControlCommand;
import io.qemucompose.driver.systemd.OutputTarget;
import io.qemucompose.driver.systemd.TransientUnit;
import java.nio.file.Path;
import java.util.List;

/**
 * The relay of one bridge NIC in rootless mode: inside the project's namespace it holds the VM's
 * TAP open and passes each frame between it and QEMU's datagram socket ({@link RelayedNetwork}).
 * socat (package socat) does exactly that: its TUN address opens the persistent TAP by name
 * ({@code iff-no-pi}: bare Ethernet frames, as QEMU's dgram backend sends them), and a
 * UNIX-SENDTO address bound to the relay's socket keeps datagram boundaries. A send to a socket
 * that is not there (QEMU not started yet, or gone) ends socat even with {@code -s} (measured), so
 * the relay starts once QEMU has bound its socket and is restarted with the VM's unit.
 */
public final class NamespaceRelay {

    private NamespaceRelay() {
    }

    /** The relay's command line, to run inside the namespace ({@link ProjectNamespace#enter}). */
    public static List<String> command(String socat, String tap, RelayedNetwork nic) {
        InterfaceName.require(tap);
        return List.of(socat, "-s", "TUN,tun-type=tap,tun-name=" + tap + ",iff-no-pi,iff-up",
                "UNIX-SENDTO:" + nic.qemuSocket() + ",bind=" + nic.relaySocket());
    }

    /**
     * The relay's user unit. {@code BindsTo} the VM's unit and the namespace's holder: it stops
     * with either. {@code Restart=always} without a start limit: a relay that lost QEMU's socket (a
     * QEMU restarted by systemd) comes back by itself; its own stale socket is removed first, as
     * bind(2) would refuse it.
     *
     * @param rm the absolute path of rm
     */
    public static TransientUnit unit(String name, String description, String vmUnit, String project,
            ProjectNamespace namespace, String socat, String rm, String tap, RelayedNetwork nic, Path log) {
        String holder = ProjectNamespace.holderUnitName(project);
        return TransientUnit.service(name, namespace.enter(command(socat, tap, nic)))
                .description(description)
                .execStartPre(new ControlCommand(List.of(rm, "-f", "--", nic.relaySocket().toString()), false))
                .standardOutput(OutputTarget.append(log))
                .standardError(OutputTarget.append(log))
                .property("BindsTo", "as", List.of(vmUnit, holder))
                .property("After", "as", List.of(vmUnit, holder))
                .property("Restart", "s", "always")
                .property("RestartUSec", "t", new org.freedesktop.dbus.types.UInt64(300_000))
                .property("StartLimitIntervalUSec", "t", new org.freedesktop.dbus.types.UInt64(0))
                .build();
    }
}
