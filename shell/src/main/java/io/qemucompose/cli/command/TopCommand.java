package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.driver.Drivers;
import io.qemucompose.driver.ssh.SshClient;
import io.qemucompose.driver.ssh.SshException;
import io.qemucompose.spec.ComposeProject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qemu-compose top}: the processes inside each running guest, over SSH, one {@code vm | } prefix per line. */
@Command(name = "top", mixinStandardHelpOptions = true,
        description = "Show the processes running inside the VMs (ps over SSH).")
public final class TopCommand implements Callable<Integer> {

    /** ps of procps, in every cloud image; {@code args} is the whole command line, last so it may hold spaces. */
    static final String PS = "ps -eo pid,user,etime,args";

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(paramLabel = "VM", arity = "0..*", description = "Only these VMs (default: all running).")
    private List<String> vms = new ArrayList<>();

    public enum Format { table, json }

    @Option(names = "--format", defaultValue = "table", description = "Output: ${COMPLETION-CANDIDATES}.")
    private Format format;

    @Option(names = "--timeout", defaultValue = "20", paramLabel = "SECONDS",
            description = "Longest wait for one guest's answer (default ${DEFAULT-VALUE} s).")
    private long timeout;

    public TopCommand(CommandEnvironment env) {
        this.env = env;
    }

    private record Listing(String vm, String text, String error) {}

    @Override
    public Integer call() throws Exception {
        ComposeProject compose = project.load(vms);
        List<String> selected = VmSelection.of(compose, vms);
        int code = ExitCode.OK;
        List<String> notRunning = new ArrayList<>();
        List<String> running;
        try (Drivers drivers = Drivers.forUser(env.env())) {
            running = VmSelection.running(compose, selected, drivers.systemd(), notRunning);
        }
        if (!vms.isEmpty()) {
            for (String vm : notRunning) {
                env.err().println("qemu-compose: " + vm + " is not running");
                code = ExitCode.ERROR;
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Future<Listing>> listings = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String vm : running) {
                listings.add(pool.submit(() -> list(compose, vm)));
            }
            for (Future<Listing> f : listings) {
                Listing l;
                try {
                    l = f.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
                if (l.error() != null) {
                    env.err().println("qemu-compose: " + l.vm() + ": " + l.error());
                    code = ExitCode.ERROR;
                } else if (format == Format.json) {
                    rows.addAll(processes(l.vm(), l.text()));
                } else {
                    env.out().print(prefixed(l.vm(), l.text()));
                }
            }
        }
        if (format == Format.json) {
            env.out().print(JsonOutput.write(rows));
        }
        return code;
    }

    private Listing list(ComposeProject compose, String vm) {
        var access = SshAccess.require(compose, compose.vms().get(vm));
        var target = new SshClient.Target(access.host(), access.port(), access.user(), access.identityFile());
        try {
            SshClient.ExecResult r = new SshClient(access.knownHosts()).exec(target, PS, Duration.ofSeconds(timeout));
            if (r.exitCode() != 0) {
                return new Listing(vm, null, "ps exited with " + r.exitCode() + ": " + r.stderr().strip());
            }
            return new Listing(vm, r.stdout(), null);
        } catch (SshException e) {
            return new Listing(vm, null, e.getMessage());
        }
    }

    /** The rows of {@link #PS}'s output after its header: pid, user, elapsed, and the rest as the command. */
    static List<Map<String, Object>> processes(String vm, String text) {
        List<Map<String, Object>> out = new ArrayList<>();
        text.lines().skip(1).map(String::strip).filter(l -> !l.isEmpty()).forEach(line -> {
            String[] f = line.split("\\s+", 4);
            if (f.length == 4) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("vm", vm);
                m.put("pid", Long.parseLong(f[0]));
                m.put("user", f[1]);
                m.put("elapsed", f[2]);
                m.put("command", f[3]);
                out.add(m);
            }
        });
        return out;
    }

    /** Every line of {@code text} behind {@code vm | }, as {@code logs} prints several VMs. */
    static String prefixed(String vm, String text) {
        StringBuilder sb = new StringBuilder();
        text.lines().forEach(line -> sb.append(vm).append(" | ").append(line).append('\n'));
        return sb.toString();
    }
}
