package io.qemucompose.cli.command;

import io.qemucompose.apply.ProvisionRerun;
import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.driver.ssh.SshClient;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.VmSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qemu-compose provision [VM...]}: runs the VMs' provision steps again over SSH, in
 * parallel, each output line prefixed {@code vm | } as {@code logs} does. The exit code is 0 when
 * every VM's steps passed, else the failing step's exit status (the last one seen with several).
 */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = "Run the VMs' provision steps again over SSH, streaming their output; the exit code is theirs.")
public final class ProvisionCommand implements Callable<Integer> {

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(paramLabel = "VM", arity = "0..*", description = "Only these VMs (default: all with provision steps).")
    private List<String> vms = new ArrayList<>();

    @Option(names = "--timeout", defaultValue = "1800", paramLabel = "SECONDS",
            description = "Limit for each step (default ${DEFAULT-VALUE} s).")
    private long timeout;

    public ProvisionCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        ComposeProject compose = project.load(vms);
        Map<String, VmSpec> selected = new LinkedHashMap<>();
        if (vms.isEmpty()) {
            compose.vms().values().stream().filter(v -> ProvisionRerun.stepCount(v) > 0)
                    .forEach(v -> selected.put(v.name(), v));
        } else {
            for (String name : vms) {
                selected.put(name, InspectCommand.requireVm(compose, name));
            }
        }
        if (selected.isEmpty()) {
            env.out().println("No VM has provision steps.");
            return ExitCode.OK;
        }
        Map<String, SshAccess> access = new LinkedHashMap<>();
        for (VmSpec vm : selected.values()) {
            access.put(vm.name(), SshAccess.require(compose, vm));
        }
        Object printLock = new Object();
        int result = ExitCode.OK;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> runs = new ArrayList<>();
            for (VmSpec vm : selected.values()) {
                SshAccess a = access.get(vm.name());
                runs.add(pool.submit(() -> new ProvisionRerun(new SshClient(a.knownHosts()), Duration.ofSeconds(timeout))
                        .run(vm, new SshClient.Target(a.host(), a.port(), a.user(), a.identityFile()), line -> {
                            synchronized (printLock) {
                                env.out().println(vm.name() + " | " + line);
                            }
                        })));
            }
            for (Future<Integer> run : runs) {
                int code = run.get();
                if (code != 0) {
                    result = code;
                }
            }
        }
        env.out().flush();
        if (result != 0) {
            throw new UserFacingException("provisioning failed (exit " + result + ")", result, null);
        }
        return result;
    }
}
