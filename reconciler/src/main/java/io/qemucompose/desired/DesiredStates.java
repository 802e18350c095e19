package io.qemucompose.desired;

import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.Dependency;
import io.qemucompose.spec.Mount;
import io.qemucompose.spec.Names;
import io.qemucompose.spec.PortMapping;
import io.qemucompose.spec.Replica;
import io.qemucompose.spec.VmSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Compose model → desired state. A pure function: no file, process or clock is read. */
public final class DesiredStates {

    /** The {@code disk.size} of a VM that keeps its base image's size. */
    public static final String IMAGE_DEFAULT = "image default";

    private DesiredStates() {}

    /**
     * The desired state with each VM's cloud-init field taken from its rendered seed
     * ({@code seedIds}: VM → the instance-id of the seed {@code WriteSeed} would write), so the
     * plan compares exactly what the guest gets: editing a provision script's contents or a
     * copied file changes the seed, hence the instance-id, hence the plan.
     */
    public static DesiredState of(ComposeProject project, Map<String, String> seedIds) {
        Map<String, DesiredVm> vms = new LinkedHashMap<>();
        for (VmSpec vm : project.vms().values()) {
            vms.put(vm.name(), vm(project, vm, seedIds.get(vm.name())));
        }
        return new DesiredState(project.name(), project.projectDir(), vms, project.volumes(), project.networks(),
                project.inactiveVms());
    }

    /**
     * For pure tests of the planner: without rendered seeds, the cloud-init field is a hash of the
     * seed's inputs as declared (not of file contents). The reconciler always passes real seeds.
     */
    public static DesiredState of(ComposeProject project) {
        return of(project, Map.of());
    }

    static DesiredVm vm(ComposeProject project, VmSpec vm, String seedId) {
        Map<String, Field> f = new LinkedHashMap<>();
        f.put("image", new Field(Value.text(vm.image().location().toString()), Effect.REPLACE));
        // another OS or architecture is other hardware under the same disk: a new instance. Only
        // for non-default profiles, so that VMs recorded before profiles existed are not replaced.
        if (vm.os() != io.qemucompose.spec.GuestOs.LINUX || vm.arch() != io.qemucompose.spec.GuestArch.X86_64) {
            f.put("platform", new Field(Value.text(vm.os().id() + " " + vm.arch().platform()), Effect.REPLACE));
        }
        f.put("disk.size", new Field(vm.diskSize().<Value>map(Value.Size::of).orElse(Value.text(IMAGE_DEFAULT)),
                Effect.RESTART));
        f.put("cpu", new Field(new Value.Count(vm.cpu()), Effect.RESTART));
        f.put("memory", new Field(Value.Size.mebibytes(vm.memoryMb()), Effect.RESTART));
        // each network with its subnet as the file asks for it: a changed subnet restarts the VMs on it
        f.put("networks", new Field(Value.text(vm.networks().isEmpty() ? "user-mode"
                : vm.networks().stream().map(n -> n + " (" + subnetOf(project, n) + ")").collect(Collectors.joining(", "))),
                Effect.RESTART));
        f.put("ssh.port", new Field(vm.sshPort().<Value>map(p -> new Value.Count(p)).orElse(Value.text("auto")),
                Effect.RESTART));
        f.put("ports", new Field(Value.text(vm.ports().stream().map(DesiredStates::port).collect(Collectors.joining(", "))),
                Effect.RESTART));
        String volumes = vm.volumes().stream().map(m -> mount(project, m)).collect(Collectors.joining(", "));
        f.put("volumes", new Field(Value.text(volumes), Effect.RESTART));
        String seedInputs = String.join("\n", vm.name(), vm.user().orElse("")
                + vm.uid().map(u -> ":" + u.describe()).orElse(""),
                vm.password().map(DesiredStates::sha256).orElse(""), volumes, vm.environment().toString())
                + (vm.provision().isEmpty() ? "" : "\n" + vm.provision());
        String seedHash = seedId != null ? seedId : "qc-" + sha256(seedInputs).substring(0, 16);
        f.put("user", new Field(Value.text(vm.user().orElse("image default")), Effect.RESTART));
        // only when set, so VMs of root (and those recorded before uids were set) see no change; a
        // change restarts: the seed's bootcmd moves an existing login user to the new ids before login
        vm.uid().ifPresent(u -> f.put("uid", new Field(Value.text(u.describe()), Effect.RESTART)));
        f.put("cloud-init", new Field(Value.text("instance " + seedHash), Effect.RESTART));
        // the password is set over QMP at each start and never recorded: only whether there is one
        vm.vnc().ifPresent(v -> f.put("vnc", new Field(Value.text(v.describe()), Effect.RESTART)));
        f.put("restart", new Field(Value.text(vm.restart().yamlName()), Effect.NONE));
        if (vm.replica().index() > 1) {
            // recorded in state.json: after scaling down, the plan knows this instance is surplus, not an orphan
            f.put(Replica.FIELD, new Field(Value.text(vm.replica().of()), Effect.NONE));
        }
        List<String> startAfter = new ArrayList<>();
        List<String> readyAfter = new ArrayList<>();
        for (Dependency d : vm.dependsOn().values()) {
            if (d.condition() == Dependency.Condition.SERVICE_STARTED) {
                startAfter.add(d.vm());
            } else {
                readyAfter.add(d.vm());
            }
        }
        return new DesiredVm(vm.name(), Names.unitName(project.name(), vm.name()), vm, f, seedHash, startAfter,
                readyAfter);
    }

    private static String subnetOf(ComposeProject project, String network) {
        return project.networks().containsKey(network) ? project.networks().get(network).subnet().toString() : "?";
    }

    private static String port(PortMapping p) {
        return p.hostIp() + ":" + p.hostPort() + "->" + p.guestPort() + "/" + p.protocol();
    }

    /**
     * A named volume shows its size: growing it must restart the VM (the disk is resized while
     * stopped) and, through the seed hash, makes a new cloud-init instance whose runcmd grows the
     * file system.
     */
    private static String mount(ComposeProject project, Mount m) {
        return switch (m) {
            case Mount.NamedVolumeMount v -> v.volume() + ":" + v.target() + (v.readOnly() ? ":ro" : "")
                    + (project.volumes().containsKey(v.volume()) ? " (" + project.volumes().get(v.volume()).size() + ")" : "");
            case Mount.BindMount b -> b.source() + ":" + b.target() + (b.readOnly() ? ":ro" : "")
                    + (b.automount() ? "" : ":noauto") + b.mountOptions().map(o -> "[" + o + "]").orElse("");
        };
    }

    public static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
