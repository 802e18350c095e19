package io.qemucompose.cli.command;

import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.driver.Drivers;
import io.qemucompose.spec.ComposeProject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qemu-compose stats}: CPU, memory, network and disk I/O per running VM, as docker stats.
 * On a terminal the table is redrawn in place every second until Ctrl-C; with {@code --no-stream},
 * {@code --format json} or off a terminal, one snapshot is printed (after one interval, which CPU %
 * needs).
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Show the VMs' CPU %%, memory, network and disk I/O (live on a terminal).")
public final class StatsCommand implements Callable<Integer> {

    public enum Format { table, json }

    static final Duration INTERVAL = Duration.ofSeconds(1);
    /** Cursor home, clear screen: redraw in place as top does. */
    private static final String REDRAW = "\033[H\033[2J";

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(paramLabel = "VM", arity = "0..*", description = "Only these VMs (default: all running).")
    private List<String> vms = new ArrayList<>();

    @Option(names = "--no-stream", description = "Print one snapshot and exit.")
    private boolean noStream;

    @Option(names = "--format", defaultValue = "table", description = "Output: ${COMPLETION-CANDIDATES}.")
    private Format format;

    public StatsCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        ComposeProject compose = project.load(vms);
        List<String> selected = VmSelection.of(compose, vms);
        boolean stream = !noStream && format == Format.table && env.stdoutIsTerminal();
        try (Drivers drivers = Drivers.forUser(env.env())) {
            StatsSampler sampler = new StatsSampler(compose, drivers.systemd());
            List<String> notRunning = new ArrayList<>();
            List<String> running = VmSelection.running(compose, selected, drivers.systemd(), notRunning);
            sampler.sample(running);
            do {
                // a measuring interval, not a wait for a condition: CPU % is CPU time over wall time
                Thread.sleep(INTERVAL);
                running = VmSelection.running(compose, selected, drivers.systemd(), new ArrayList<>());
                List<VmStats> rows = sampler.sample(running);
                if (format == Format.json) {
                    env.out().print(JsonOutput.write(rows.stream().map(VmStats::json).toList()));
                } else {
                    env.out().print((stream ? REDRAW : "") + VmStats.table(rows));
                }
                env.out().flush();
            } while (stream);
        }
        return ExitCode.OK;
    }
}
