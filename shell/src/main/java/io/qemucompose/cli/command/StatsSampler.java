package io.qemucompose.cli.command;

import io.qemucompose.driver.qemu.BlockStats;
import io.qemucompose.driver.systemd.UnitAccounting;
import io.qemucompose.driver.systemd.UnitManager;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.state.ProjectLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Reads what each running VM uses: the unit's cgroup accounting from systemd (CPU time, memory,
 * IP traffic), QMP's block statistics for disk I/O, and QEMU's /proc entry where systemd does not
 * account CPU or memory (a user manager without those controllers delegated). CPU % needs two
 * readings, so the sampler keeps the previous one.
 */
final class StatsSampler {

    /** USER_HZ, the unit of utime and stime in /proc/PID/stat: 100 on every Linux port that runs QEMU. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;
    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(1);

    private record Reading(long atNanos, OptionalLong cpuNanos) {}

    private final ComposeProject project;
    private final ProjectLayout layout;
    private final UnitManager systemd;
    private final Map<String, Reading> previous = new HashMap<>();

    StatsSampler(ComposeProject project, UnitManager systemd) {
        this.project = project;
        this.layout = new ProjectLayout(project.projectDir());
        this.systemd = systemd;
    }

    List<VmStats> sample(List<String> vms) {
        List<VmStats> rows = new ArrayList<>();
        for (String vm : vms) {
            UnitAccounting a = systemd.accounting(VmSelection.unit(project, vm));
            long now = System.nanoTime();
            OptionalLong cpu = a.cpuNanos().isPresent() ? a.cpuNanos() : procCpuNanos(a.mainPid());
            // QEMU's resident memory first: the cgroup's MemoryCurrent also counts the page cache of the
            // disk images read (a 1 GiB guest showed 1.4 GB, 140 %), which docker stats leaves out too
            OptionalLong rss = a.mainPid() > 0 ? procRssBytes(a.mainPid()) : OptionalLong.empty();
            OptionalLong memory = rss.isPresent() ? rss : a.memoryBytes();
            Reading before = previous.put(vm, new Reading(now, cpu));
            OptionalDouble percent = before == null ? OptionalDouble.empty() : cpuPercent(before, now, cpu);
            Optional<BlockStats> block = BlockStats.query(layout.reachableSocket(layout.qmpSocket(vm)), QMP_TIMEOUT);
            rows.add(new VmStats(vm, percent, memory, project.vms().get(vm).memoryMb() << 20,
                    a.ipIngressBytes(), a.ipEgressBytes(),
                    block.map(b -> OptionalLong.of(b.readBytes())).orElse(a.ioReadBytes()),
                    block.map(b -> OptionalLong.of(b.writtenBytes())).orElse(a.ioWriteBytes())));
        }
        return rows;
    }

    /** CPU time used per wall time, in percent of one host CPU. */
    static OptionalDouble cpuPercent(long cpuNanosBefore, long atBefore, long cpuNanosNow, long atNow) {
        long wall = atNow - atBefore;
        if (wall <= 0 || cpuNanosNow < cpuNanosBefore) {
            return OptionalDouble.empty(); // a restart in between resets the counter
        }
        return OptionalDouble.of(100.0 * (cpuNanosNow - cpuNanosBefore) / wall);
    }

    private static OptionalDouble cpuPercent(Reading before, long now, OptionalLong cpu) {
        if (before.cpuNanos().isEmpty() || cpu.isEmpty()) {
            return OptionalDouble.empty();
        }
        return cpuPercent(before.cpuNanos().getAsLong(), before.atNanos(), cpu.getAsLong(), now);
    }

    /** utime + stime of /proc/PID/stat (fields 14 and 15, after the parenthesised command name). */
    static OptionalLong procCpuNanos(long pid) {
        if (pid <= 0) {
            return OptionalLong.empty();
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return OptionalLong.of(ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static OptionalLong procRssBytes(long pid) {
        if (pid <= 0) {
            return OptionalLong.empty();
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone in between
        }
        return OptionalLong.empty();
    }
}
