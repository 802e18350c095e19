package io.qemucompose.spec;

import io.qemucompose.spec.SourceNode.MapNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads, merges, interpolates and validates compose files into a {@link ComposeProject}.
 *
 * <p>Pipeline: each file is composed by SnakeYAML Engine into a position-carrying tree (anchors,
 * {@code <<} merge keys and duplicate keys handled per file), later files are merged over earlier
 * ones, then one schema walk interpolates every scalar value and types it, collecting every
 * problem with its file, line, column and field path before anything is returned. We type the
 * values in that walk rather than handing a tree to a data binder, because only the walk still
 * knows where each value was written.
 *
 * <p>Variables come from {@code environment} (the process environment) and from a {@code .env}
 * file in the project folder; the environment wins, as in docker compose. Once the project name
 * is known, {@code COMPOSE_PROJECT_NAME} and {@code QEMU_COMPOSE_PROJECT_NAME} hold it.
 */
public final class ComposeLoader {
    private final Map<String, String> environment;
    private final Map<String, Integer> scale;
    private final HostUser hostUser;

    /** A loader for this process's user: guests' login users get its uid and gid ({@link GuestUid}). */
    public ComposeLoader(Map<String, String> environment) {
        this(environment, Map.of(), HostUser.current());
    }

    private ComposeLoader(Map<String, String> environment, Map<String, Integer> scale, HostUser hostUser) {
        this.environment = Map.copyOf(environment);
        this.scale = Map.copyOf(scale);
        this.hostUser = hostUser;
    }

    /** The same loader as if run by {@code host} (tests; the default is this process's user). */
    public ComposeLoader withHostUser(HostUser host) {
        return new ComposeLoader(environment, scale, host);
    }

    /**
     * The same loader with {@code up --scale VM=N}: N instances of VM whatever its
     * {@code deploy.replicas} says (see {@link Replica}). Names must be VMs of the file.
     */
    public ComposeLoader withScale(Map<String, Integer> vmInstances) {
        return new ComposeLoader(environment, vmInstances, hostUser);
    }

    /**
     * @param projectNameFlag the {@code -p} value; else top-level {@code name:}; else the project
     *     folder's name, normalized as docker compose does
     * @throws ComposeFileException carrying every problem found in the files
     */
    public ComposeProject load(ComposeSource source, Optional<String> projectNameFlag) throws ComposeFileException {
        return load(source, projectNameFlag, ProfileRequest.NONE);
    }

    /**
     * @param profiles the enabled profiles and the VMs named on the command line; the project
     *     holds only the active VMs (as docker compose's, {@code config} shows only those)
     */
    public ComposeProject load(ComposeSource source, Optional<String> projectNameFlag, ProfileRequest profiles)
            throws ComposeFileException {
        Problems problems = new Problems();
        Map<String, String> variables = new HashMap<>(DotEnv.read(source.projectDir(), environment, problems));
        variables.putAll(environment);
        // the opt-in to dangerous bind mounts is the user's, never the content's (.env comes with it)
        if (!environment.containsKey(BindMountPolicy.ALLOW_VARIABLE)) {
            variables.remove(BindMountPolicy.ALLOW_VARIABLE);
        }
        SourceNode merged = null;
        boolean unreadable = false;
        List<String> warnings = new ArrayList<>();
        for (var file : source.files()) {
            int before = problems.size();
            List<SourceNode> documents = YamlSource.read(file, problems);
            unreadable |= documents.isEmpty() && problems.size() > before;
            for (SourceNode document : documents) {
                if (document instanceof MapNode map && map.entries().containsKey("version")
                        && !warnings.contains(obsoleteVersion(file))) {
                    warnings.add(obsoleteVersion(file));
                }
                merged = merged == null ? document : FileMerge.merge(merged, document);
            }
        }
        if (merged == null && !unreadable) {
            // As docker compose: an empty override file is fine, but something must say what to run.
            problems.add(new Problem(source.files().getFirst(), 1, 1, "",
                    "the file is empty, expected a mapping with 'vms:'"));
        }
        if (unreadable || merged == null) {
            problems.throwIfAny();
        }
        // Duplicate keys and bad merge sources leave a usable tree: walk it too, so the user
        // sees those problems together with the schema's.
        Fields fields = new Fields(problems, new Interpolation(variables::get));
        Extends extendsResolver = new Extends(fields, source.files());
        merged = extendsResolver.resolve(merged);
        ComposeProject project = new ProjectReader(fields, source, variables, extendsResolver.extendedFiles(), hostUser)
                .read(merged, projectNameFlag, profiles, scale);
        problems.throwIfAny();
        hostUidWarning(project).ifPresent(warnings::add);
        return new ComposeProject(project.name(), project.projectDir(), project.files(), project.networks(),
                project.volumes(), project.vms(), project.extensions(), warnings, project.inactiveVms());
    }

    /**
     * A host uid the images may use themselves is not given to guests (cloud-init's useradd would
     * fail and nobody could log in): say so once, since files in rw bind mounts then change owner.
     */
    private Optional<String> hostUidWarning(ComposeProject project) {
        Optional<String> taken = hostUser.isRoot() ? Optional.empty() : GuestUid.takenInImage(hostUser.uid());
        List<String> affected = project.vms().values().stream()
                .filter(vm -> vm.uid().isEmpty() && vm.os().cloudInit())
                .map(VmSpec::name)
                .toList();
        if (taken.isEmpty() || affected.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("your " + taken.get() + ", so the login user of " + String.join(", ", affected)
                + " keeps the image's default uid and files in rw bind mounts will not be yours; set uid: to choose one");
    }

    /** docker compose's words, so users searching for them find the answer. */
    static String obsoleteVersion(Path file) {
        return file + ": the attribute `version` is obsolete, it will be ignored, please remove it to avoid "
                + "potential confusion";
    }
}
