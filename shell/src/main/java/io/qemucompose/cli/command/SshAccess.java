package io.qemucompose.cli.command;

import io.qemucompose.cli.UserFacingException;
import io.qemucompose.driver.cloudinit.DefaultUser;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.VmSpec;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.ProjectState;
import io.qemucompose.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** How to reach a VM with the system's OpenSSH client: what {@code ssh} runs and {@code ssh-config} prints. */
record SshAccess(String vm, String host, int port, String user, Path identityFile, Path knownHosts,
        Optional<String> proxyCommand) {

    SshAccess(String vm, String host, int port, String user, Path identityFile, Path knownHosts) {
        this(vm, host, port, user, identityFile, knownHosts, Optional.empty());
    }

    /**
     * The OpenSSH options that make the project's key and known_hosts the only ones used. OpenSSH
     * splits {@code -o UserKnownHostsFile=…} on whitespace, so the path is quoted inside the value.
     */
    List<String> options() {
        return List.of("-i", OpenSshSyntax.argumentPath("IdentityFile", identityFile), "-p", String.valueOf(port),
                "-o", OpenSshSyntax.option("UserKnownHostsFile", knownHosts),
                "-o", "StrictHostKeyChecking=accept-new",
                "-o", "IdentitiesOnly=yes");
    }

    /** An OpenSSH config block; every value that comes from a path or the compose file is quoted. */
    String configBlock() {
        return "Host " + OpenSshSyntax.plainWord("Host", vm) + "\n"
                + "  HostName " + OpenSshSyntax.plainWord("HostName", host) + "\n"
                + "  Port " + port + "\n"
                + "  User " + OpenSshSyntax.plainWord("User", user) + "\n"
                + "  IdentityFile " + OpenSshSyntax.configPath("IdentityFile", identityFile) + "\n"
                + "  UserKnownHostsFile " + OpenSshSyntax.configPath("UserKnownHostsFile", knownHosts) + "\n"
                + "  StrictHostKeyChecking accept-new\n"
                + "  IdentitiesOnly yes\n"
                // made by us from absolute tool paths, a PID and ssh's own %h/%p: nothing of the user's
                + proxyCommand.map(p -> "  ProxyCommand " + p + "\n").orElse("");
    }

    /** Empty when the VM has no forwarded SSH port yet (never started); bridge VMs have one too. */
    static Optional<SshAccess> of(ComposeProject project, VmSpec vm) {
        ProjectLayout layout = new ProjectLayout(project.projectDir());
        ProjectState state = new StateStore(layout).read();
        Optional<Integer> port = state.vm(vm.name()).map(ProjectState.VmRecord::sshPort);
        if (port.isEmpty() || !Files.isRegularFile(layout.sshPrivateKey())) {
            return Optional.empty();
        }
        String user = DefaultUser.resolve(vm.image().location().toString(), vm.user());
        return Optional.of(new SshAccess(vm.name(), "127.0.0.1", port.get(), user, layout.sshPrivateKey(),
                layout.knownHosts()));
    }

    static SshAccess require(ComposeProject project, VmSpec vm) {
        return of(project, vm).orElseThrow(() -> new UserFacingException(
                vm.name() + " has no SSH port yet: it was never started; run `qemu-compose up " + vm.name() + "`"));
    }

    /**
     * The same login at the VM's address on a bridge network, as {@code Host <vm>.<network>}: port
     * 22 of the guest itself, no forward and no proxy. The host reaches it through the bridge's
     * gateway address; other VMs of the network reach the same address by name.
     */
    SshAccess onBridge(String network, String address) {
        return onBridge(network, address, Optional.empty());
    }

    /** @param proxy rootless mode: the command that reaches the address inside the project's namespace */
    SshAccess onBridge(String network, String address, Optional<String> proxy) {
        return new SshAccess(vm + "." + network, address, 22, user, identityFile, knownHosts, proxy);
    }
}
