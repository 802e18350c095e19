package io.qemucompose.cli;

import io.qemucompose.spec.ComposeFileException;
import io.qemucompose.spec.ComposeFiles;
import io.qemucompose.spec.ComposeLoader;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.ComposeSource;
import io.qemucompose.spec.ProfileRequest;
import java.util.List;
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
        CommandEnvironment environment = environment();
        return ComposeFiles.locate(globalOptions().files(), environment.env(), environment.cwd());
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
        ComposeProject project = new ComposeLoader(environment().env()).load(locate(), globalOptions().projectName(),
                ProfileRequest.of(globalOptions().profiles(), namedVms));
        project.warnings().forEach(w -> environment().err().println("warning: " + w));
        return project;
    }

    private GlobalOptions globalOptions() {
        return (GlobalOptions) mixee.root().userObject();
    }

    private CommandEnvironment environment() {
        return ((QemuComposeCommand) mixee.root().userObject()).environment();
    }
}
