package io.qemucompose.apply;

import io.qemucompose.desired.DesiredVm;
import io.qemucompose.driver.cloudinit.CloudInitConfig;
import io.qemucompose.driver.cloudinit.RenderedSeed;
import io.qemucompose.driver.image.ImageCache;
import io.qemucompose.driver.image.ImagePuller;
import io.qemucompose.driver.image.ImageSource;
import io.qemucompose.driver.qemu.VmRuntimeSpec;
import io.qemucompose.driver.ssh.SshClient;
import io.qemucompose.driver.ssh.SshKeyPair;
import io.qemucompose.driver.systemd.JobResult;
import io.qemucompose.driver.systemd.UnitStatus;
import io.qemucompose.plan.Action;
import io.qemucompose.state.ProjectState;
import io.qemucompose.status.ImageUsers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Carries out one {@link Action}. Every method looks at the world first and does only what is
 * missing, so running an action twice, or after a crash half-way, is safe.
 */
public final class ActionRunner {

    private static final String CLOUD_INIT = "cloud-init";

    private final ApplyContext ctx;
    private final VmStopper stopper;
    private final VmReadiness readiness;
    private final VolumeActions volumes;
    private final NetworkActions networks;

    public ActionRunner(ApplyContext ctx) {
        this.ctx = ctx;
        this.stopper = new VmStopper(ctx);
        this.readiness = new VmReadiness(ctx);
        this.volumes = new VolumeActions(ctx);
        this.networks = new NetworkActions(ctx);
    }

    public void run(Action action) throws Exception {
        KillPoints.reached(ctx.drivers().environment(), "before:" + action.id());
        switch (action) {
            case Action.EnsureSshKey a -> SshKeyPair.ensure(ctx.layout().sshPrivateKey());
            case Action.PullImage a -> pull(a);
            case Action.LeaseSshPort a -> leasePort(a.vm());
            case Action.CreateOverlay a -> createOverlay(a.vm());
            case Action.ResizeOverlay a -> ctx.drivers().qemuImg().resize(ctx.layout().overlayDisk(a.vm()), a.bytes());
            case Action.WriteSeed a -> writeSeed(a.vm());
            case Action.StopVm a -> {
                stopper.stop(a.vm(), a.force(), a.timeout());
                detachNetworks(a.vm());
            }
            case Action.StartVm a -> start(a.vm(), false);
            case Action.ResumeVm a -> start(a.vm(), true);
            case Action.SuspendVm a -> {
                suspend(a.vm());
                detachNetworks(a.vm());
            }
            case Action.DropSavedState a -> {
                SavedStates.deleteIfExists(ctx.layout().savedState(a.vm()));
                ctx.progress().accept(a.vm() + ": dropped its saved state (the machine changed); it boots afresh");
            }
            case Action.RecordApplied a -> record(a.vm());
            case Action.RemoveInstance a -> remove(a.vm(), a.releasePort());
            case Action.AwaitReady a -> readiness.await(a.vm(), ctx.readyTimeout());
            case Action.CreateVolume a -> volumes.create(a);
            case Action.GrowVolume a -> volumes.grow(a);
            case Action.EnsureNetwork a -> networks.ensure(a);
            case Action.RemoveNetwork a -> networks.remove(a);
        }
    }

    private void pull(Action.PullImage a) {
        ImageSource source = ImageSource.parse(a.location(), ctx.project().projectDir());
        ImageCache.ResolvedImage cached = ctx.drivers().images().resolve(source);
        if (cached.present() && !a.refresh()) {
            return;
        }
        if (cached.present()) {
            // a qcow2 overlay names its base by path: a new download in its place would change the
            // disk of every VM resting on it, so an image in use is kept as it is
            List<ImageUsers.Overlay> users = ImageUsers.scan(ctx.project().projectDir(),
                    ctx.drivers().portLeases().all()).getOrDefault(cached.path().toAbsolutePath().normalize(), List.of());
            if (!users.isEmpty()) {
                ctx.progress().accept("kept " + cached.path().getFileName() + " (--pull always): the disks of "
                        + users.stream().map(ImageUsers.Overlay::toString).collect(Collectors.joining(", "))
                        + " rest on it");
                return;
            }
        }
        // the compose file's image_checksum of any VM using this image (they must agree to be verified)
        java.util.Optional<io.qemucompose.driver.image.Checksum> checksum = ctx.desired().vms().values().stream()
                .map(v -> v.spec().image())
                .filter(ref -> ref.location().toString().equals(a.location()))
                .flatMap(ref -> ref.checksum().stream())
                .findFirst()
                .map(c -> io.qemucompose.driver.image.Checksum.parse(c.toString()));
        ctx.progress().accept("pulling " + a.location() + checksum.map(c -> " (verifying its checksum)").orElse(""));
        ImagePuller.PulledImage image = ctx.drivers().puller().pull(
                new ImagePuller.PullRequest(a.location(), source, checksum, a.refresh()), p -> {});
        ctx.progress().accept("pulled " + image.path().getFileName() + " (" + image.sizeBytes() / (1 << 20) + " MiB)");
    }

    private void leasePort(String vm) {
        DesiredVm d = ctx.vm(vm);
        // a fixed ssh.port is entered in the machine-wide registry too, so no other project leases it
        int port = d.fixedSshPort()
                .map(fixed -> ctx.drivers().portLeases().reserve(ctx.project().projectDir(), vm, fixed).port())
                .orElseGet(() -> ctx.drivers().portLeases().acquire(ctx.project().projectDir(), vm).port());
        // a port new to this VM may have served an earlier instance whose host key is on record
        forgetHostKey(port);
        ctx.state().updateWhileHeld(s -> s.withVm(vm, record(s, vm).withSshPort(port)));
    }

    private void createOverlay(String vm) {
        Path overlay = ctx.layout().overlayDisk(vm);
        DesiredVm d = ctx.vm(vm);
        ImageCache.ResolvedImage base = ctx.drivers().images()
                .resolve(d.spec().image().location().toString(), ctx.project().projectDir());
        if (!Files.isRegularFile(overlay)) {
            if (!base.present()) {
                throw new IllegalStateException("base image of " + vm + " is missing: " + base.path()
                        + (base.cached() ? " (run `qemu-compose pull " + vm + "`, or `up` without --pull never)" : ""));
            }
            mkdirs(ctx.layout().vmDir(vm));
            String format = ctx.drivers().qemuImg().info(base.path()).format();
            ctx.drivers().qemuImg().createOverlay(base.path(), Optional.of(format), overlay,
                    d.spec().diskSize().map(s -> s.bytes()));
            ctx.progress().accept(vm + ": created disk " + overlay);
        }
        ctx.state().updateWhileHeld(s -> s.withVm(vm, record(s, vm).withBaseImage(base.path().toString())));
    }

    private void writeSeed(String vm) {
        DesiredVm d = ctx.vm(vm);
        SshKeyPair key = SshKeyPair.ensure(ctx.layout().sshPrivateKey());
        var keyDisk = VmLaunch.profile(d.spec()).keyDisk();
        if (keyDisk.isPresent()) {
            // no cloud-init in the guest: the seed is the images' own resource disk with the key
            mkdirs(ctx.layout().vmDir(vm));
            ctx.drivers().keyDisk().write(ctx.layout().keyDisk(vm), key.publicKeyLine(), keyDisk.get());
            return;
        }
        CloudInitConfig config = VmSeeds.config(ctx.project(), d.spec(), key.publicKeyLine(), ctx.nics(d.spec()));
        RenderedSeed seed = ctx.drivers().seedRenderer().render(config);
        mkdirs(ctx.layout().vmDir(vm));
        ctx.drivers().seedImage().write(ctx.layout().seedIso(vm), seed);
        Optional<ProjectState.VmRecord> before = ctx.state().read().vm(vm);
        if (before.isPresent() && !seed.instanceId().equals(before.get().instanceId())) {
            // a new instance-id makes cloud-init generate new host keys on the next boot
            before.map(ProjectState.VmRecord::sshPort).ifPresent(this::forgetHostKey);
        }
        ctx.state().updateWhileHeld(s -> s.withVm(vm, record(s, vm).withInstanceId(seed.instanceId())));
    }

    /** Saves a running VM's state and ends it; the watcher must not start it again behind the user's back. */
    private void suspend(String vm) {
        String unit = ctx.unitName(vm);
        UnitOwnership.requireOurs(ctx, vm, unit, "suspend");
        ctx.state().updateWhileHeld(s -> s.vm(vm).isPresent() ? s.withVm(vm, record(s, vm).withStoppedByUser(true)) : s);
        new SavedStates(ctx.layout(), ctx.progress()).suspend(vm, ctx.vm(vm).spec());
        ctx.drivers().systemd().awaitState(unit, u -> !u.loaded() || u.isStopped(), java.time.Duration.ofSeconds(60));
    }

    /** @param resume load the saved state instead of booting (the plan checked that the machine is the same) */
    private void start(String vm, boolean resume) {
        DesiredVm d = ctx.vm(vm);
        String unit = ctx.unitName(vm);
        UnitStatus status = ctx.drivers().systemd().unit(unit);
        if (status.loaded()) {
            UnitOwnership.requireOurs(ctx, vm, unit, status.isFailed() ? "reset and restart" : "adopt");
        }
        if (status.isActive() || status.activeState() == io.qemucompose.driver.systemd.ActiveState.ACTIVATING) {
            record(vm); // started by a run that died before recording it
            networks.relay(d); // ... or before starting its NIC relays (rootless mode)
            if (resume && Files.exists(ctx.layout().savedState(vm))) {
                // ... or before loading the state: QEMU still waits for it, or has it and the file is stale
                new SavedStates(ctx.layout(), ctx.progress()).resume(vm, d.spec());
            }
            return;
        }
        if (status.isFailed()) {
            ctx.drivers().systemd().resetFailed(unit);
        }
        int leased = ctx.state().read().vm(vm).map(ProjectState.VmRecord::sshPort)
                .or(() -> d.fixedSshPort())
                .orElseThrow(() -> new IllegalStateException("no SSH port leased for " + vm));
        int port = portStillFree(vm, d, leased);
        networks.attach(d);
        VmLaunch.ensureFirmwareVariables(ctx, d);
        VmRuntimeSpec booting = VmLaunch.runtimeSpec(ctx, d, port);
        VmRuntimeSpec runtime = resume ? booting.resuming() : booting;
        // Recorded before the start: a run killed right after systemd started the unit must not
        // leave a running VM without a record, which the next plan would have to restart.
        record(vm);
        JobResult job = ctx.drivers().systemd().startTransientUnit(VmLaunch.unit(ctx, d, runtime));
        if (!job.done()) {
            throw new IllegalStateException("systemd could not start " + unit + ": job " + job.result()
                    + VmReadiness.logTail(ctx, vm));
        }
        d.spec().vnc().flatMap(io.qemucompose.spec.VncSpec::password).ifPresent(password ->
                io.qemucompose.driver.qemu.VncPassword.set(ctx.layout().reachableSocket(ctx.layout().qmpSocket(vm)),
                        password, java.time.Duration.ofSeconds(30)));
        networks.relay(d);
        ctx.progress().accept(vm + ": started (unit: " + unit.replace(".service", "") + ", SSH on 127.0.0.1:" + port + ")");
        if (resume) {
            try {
                new SavedStates(ctx.layout(), ctx.progress()).resume(vm, d.spec());
            } catch (RuntimeException e) {
                // a QEMU that could not load the state waits for nothing: it must not be left running empty
                stopper.stop(vm, true, java.time.Duration.ZERO);
                throw e;
            }
        }
    }

    /**
     * The leased port is checked once more just before QEMU binds it: another program may have taken
     * it since it was leased (by an earlier run, or while the VM was stopped). A leased port then
     * moves to a free one (QEMU would otherwise fail to start on "could not set up host forwarding
     * rule"); a fixed {@code ssh.port} cannot move, so that is a clear error instead.
     */
    private int portStillFree(String vm, DesiredVm d, int leased) {
        var leases = ctx.drivers().portLeases();
        if (leases.bindableNow(leased)) {
            return leased;
        }
        if (d.fixedSshPort().isPresent()) {
            throw new IllegalStateException("cannot start " + vm + ": its ssh.port " + leased
                    + " is in use on 127.0.0.1 by another program; stop that program or choose another ssh.port");
        }
        int port = leases.acquire(ctx.project().projectDir(), vm).port();
        if (port != leased) {
            forgetHostKey(port);
            ctx.state().updateWhileHeld(s -> s.withVm(vm, record(s, vm).withSshPort(port)));
            ctx.progress().accept(vm + ": SSH port " + leased + " was taken by another program; moved to " + port);
        }
        return port;
    }

    private void record(String vm) {
        DesiredVm d = ctx.vm(vm);
        // a VM that runs again is no longer "stopped by the user": the watcher may restart it
        ctx.state().updateWhileHeld(s -> {
            ProjectState.VmRecord r = record(s, vm);
            java.util.Map<String, String> applied = new java.util.LinkedHashMap<>(d.fieldValues());
            // the seed on disk is the truth: a plan made before the project key existed could only
            // guess the instance-id, WriteSeed recorded the real one
            if (r.instanceId() != null && applied.containsKey(CLOUD_INIT)) {
                applied.put(CLOUD_INIT, "instance " + r.instanceId());
            }
            return s.withVm(vm, r.withApplied(applied)
                    .withAppliedSpecHash(io.qemucompose.desired.DesiredStates.sha256(applied.toString()))
                    .withStoppedByUser(false));
        });
    }

    private void remove(String vm, boolean releasePort) {
        String unit = ctx.unitName(vm);
        ctx.state().read().vm(vm).map(ProjectState.VmRecord::sshPort).ifPresent(this::forgetHostKey);
        UnitStatus status = ctx.drivers().systemd().unit(unit);
        var owner = status.loaded()
                ? UnitOwnership.otherOwner(ctx.drivers().systemd(), unit, ctx.project().projectDir())
                : java.util.Optional.<Path>empty();
        if (owner.isPresent()) {
            // not this VM's process (the name is taken by another folder's VM): only our files go
            ctx.progress().accept(vm + ": unit " + unit + " belongs to the project in " + owner.get()
                    + " (same project name); left running, use -p NAME to tell the projects apart");
        } else {
            if (status.loaded() && !status.isStopped()) {
                stopper.stop(vm, true, java.time.Duration.ZERO);
            }
            if (ctx.drivers().systemd().unit(unit).isFailed()) {
                ctx.drivers().systemd().resetFailed(unit);
            }
        }
        detachNetworks(vm);
        try {
            // the snapshots inside the disk go with it; their tags in the VM's named volumes go too
            new VmSnapshots(ctx.project(), ctx.drivers(), ctx.progress()).removeFromVolumes(vm);
        } catch (RuntimeException e) {
            ctx.progress().accept(vm + ": snapshots left in its volumes (" + e.getMessage() + ")");
        }
        deleteTree(ctx.layout().vmDir(vm));
        ctx.layout().forgetSocketAliases(vm);
        if (releasePort) {
            ctx.drivers().portLeases().release(ctx.project().projectDir(), vm);
            ctx.state().updateWhileHeld(s -> s.withoutVm(vm));
        } else {
            ctx.state().updateWhileHeld(s -> s.vm(vm).isPresent()
                    ? s.withVm(vm, record(s, vm).withApplied(java.util.Map.of()).withInstanceId(null)) : s);
        }
        ctx.progress().accept(vm + ": removed instance " + ctx.layout().vmDir(vm));
    }

    /** A stopped VM leaves no TAP behind (an orphan's NICs are unknown: its TAPs go with its network). */
    private void detachNetworks(String vm) {
        DesiredVm d = ctx.desired().vms().get(vm);
        if (d != null && !d.spec().networks().isEmpty()) {
            networks.detach(vm, d.spec().networks().size());
        }
    }

    /** The next instance on this port has new host keys; without this, SSH would refuse it as an impostor. */
    private void forgetHostKey(int port) {
        new SshClient(ctx.layout().knownHosts()).forgetHost("127.0.0.1", port);
    }

    private static ProjectState.VmRecord record(ProjectState s, String vm) {
        return s.vm(vm).orElseGet(() -> ProjectState.VmRecord.created(Instant.now()));
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
