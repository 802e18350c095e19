package io.qemucompose.cli.command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One row of {@code stats}: what a VM uses, as docker stats shows a container. Every figure may
 * be missing (accounting off, QMP busy); it is then "--" in the table and null in JSON.
 *
 * @param cpuPercent of one host CPU over the last interval, so a 2-CPU guest can show up to 200 %
 * @param memoryLimitBytes the guest's RAM from the compose file
 */
record VmStats(String vm, OptionalDouble cpuPercent, OptionalLong memoryBytes, long memoryLimitBytes,
        OptionalLong netInBytes, OptionalLong netOutBytes, OptionalLong blockReadBytes, OptionalLong blockWrittenBytes) {

    private static final String FORMAT = "%-20s %-8s %-22s %-7s %-22s %s%n";
    private static final String NONE = "--";

    static String table(List<VmStats> rows) {
        StringBuilder sb = new StringBuilder(String.format(FORMAT, "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %",
                "NET I/O", "BLOCK I/O"));
        for (VmStats r : rows) {
            sb.append(String.format(FORMAT, r.vm(),
                    r.cpuPercent().isPresent() ? percent(r.cpuPercent().getAsDouble()) : NONE,
                    size(r.memoryBytes()) + " / " + HumanSizes.of(r.memoryLimitBytes()),
                    r.memoryBytes().isPresent() && r.memoryLimitBytes() > 0
                            ? percent(100.0 * r.memoryBytes().getAsLong() / r.memoryLimitBytes()) : NONE,
                    size(r.netInBytes()) + " / " + size(r.netOutBytes()),
                    size(r.blockReadBytes()) + " / " + size(r.blockWrittenBytes())));
        }
        return sb.toString();
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", vm);
        m.put("cpu_percent", cpuPercent.isPresent() ? Math.round(cpuPercent.getAsDouble() * 100) / 100.0 : null);
        m.put("memory_bytes", value(memoryBytes));
        m.put("memory_limit_bytes", memoryLimitBytes);
        m.put("net_in_bytes", value(netInBytes));
        m.put("net_out_bytes", value(netOutBytes));
        m.put("block_read_bytes", value(blockReadBytes));
        m.put("block_written_bytes", value(blockWrittenBytes));
        return m;
    }

    private static Long value(OptionalLong v) {
        return v.isPresent() ? v.getAsLong() : null;
    }

    private static String size(OptionalLong v) {
        return v.isPresent() ? HumanSizes.of(v.getAsLong()) : NONE;
    }

    private static String percent(double p) {
        return String.format(Locale.ROOT, "%.2f%%", p);
    }
}
