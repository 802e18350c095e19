package io.qemucompose.cli;

import io.qemucompose.spec.ComposeFileException;
import io.qemucompose.spec.ComposeFiles;
import io.qemucompose.spec.ComposeLoader;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.ComposeSource;
import io.qemucompose.spec.ProfileRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Mixin for commands that work on a compose project: finds the file(s) from the global
 * {@code -f}/{@code -p} options, QEMU_COMPOSE_FILE and the working directory, and loads them.
 */
@Command
public final class ProjectLoading {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    public ComposeSource locate() throws ComposeFileException {
        return locate(List.of());
    }

    /**
     * @param namedVms the VMs named on the command line: with no compose file here (and none named
     *     by {@code -f} or QEMU_COMPOSE_FILE), one VM that {@code run} started is found by its name
     */
    private ComposeSource locate(List<String> namedVms) throws ComposeFileException {
        CommandEnvironment environment = environment();
        try {
            return ComposeFiles.locate(globalOptions().files(), environment.env(), environment.cwd());
        } catch (ComposeFileException noFileHere) {
            String fromEnv = environment.env().get(ComposeFiles.ENV_FILE);
            if (globalOptions().files().isEmpty() && (fromEnv == null || fromEnv.isBlank())
                    && namedVms.stream().distinct().count() == 1) {
                Optional<Path> run = RunProjects.composeFile(environment.env(), namedVms.getFirst());
                if (run.isPresent()) {
                    return ComposeSource.of(run.get());
                }
            }
            throw noFileHere;
        }
    }

    /** Loads the project; its warnings (e.g. an obsolete {@code version:}) go to stderr, as docker compose's. */
    public ComposeProject load() throws ComposeFileException {
        return load(List.of());
    }

    /**
     * @param namedVms the VMs named on the command line: enabled whatever their {@code profiles:},
     *     as in docker compose
     */
    public ComposeProject load(List<String> namedVms) throws ComposeFileException {
        ComposeSource source = locate(namedVms);
        // `ssh worker-2` names an instance: it enables worker's profiles as `ssh worker` would
        List<String> named = ExistingReplicas.withTheirVms(source.projectDir(), namedVms);
        ComposeProject project = load(source, named, Map.of());
        Map<String, Integer> existing = ExistingReplicas.beyond(project);
        if (!existing.isEmpty()) {
            project = load(source, named, existing);
        }
        project.warnings().forEach(w -> environment().err().println("warning: " + w));
        return project;
    }

    /**
     * The project as the file (and {@code --scale}) say, without the instances that exist beyond
     * it: for the commands that make the world match the file ({@code up}, {@code plan},
     * {@code apply}, {@code watch}, {@code config}), which remove surplus instances as docker
     * compose does. Every other command sees those instances too (see {@link ExistingReplicas}).
     */
    public ComposeProject loadFile(List<String> namedVms, Map<String, Integer> scale) throws ComposeFileException {
        ComposeProject project = load(locate(), namedVms, scale);
        project.warnings().forEach(w -> environment().err().println("warning: " + w));
        return project;
    }

    private ComposeProject load(ComposeSource source, List<String> namedVms, Map<String, Integer> scale)
            throws ComposeFileException {
        return new ComposeLoader(environment().env()).withScale(scale).load(source, globalOptions().projectName(),
                ProfileRequest.of(globalOptions().profiles(), namedVms));
    }

    private GlobalOptions globalOptions() {
        return (GlobalOptions) mixee.root().userObject();
    }

    private CommandEnvironment environment() {
        return ((QemuComposeCommand) mixee.root().userObject()).environment();
    }
}
