package io.qemucompose.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StatsRenderingTest {

    private static final VmStats WEB = new VmStats("web", OptionalDouble.of(12.345), OptionalLong.of(512L << 20), 1024L << 20,
            OptionalLong.of(1536), OptionalLong.of(2048), OptionalLong.of(10L << 20), OptionalLong.of(3L << 20));
    private static final VmStats DB = new VmStats("db", OptionalDouble.empty(), OptionalLong.empty(), 2048L << 20,
            OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());

    @Test
    void theTableHasDockerStatsColumnsAndDashesForWhatIsNotAccounted() {
        assertThat(VmStats.table(List.of(WEB, DB))).isEqualTo(
                "NAME                 CPU %    MEM USAGE / LIMIT      MEM %   NET I/O                BLOCK I/O\n"
                + "web                  12.35%   512.0 MB / 1.0 GB      50.00%  1.5 KB / 2.0 KB        10.0 MB / 3.0 MB\n"
                + "db                   --       -- / 2.0 GB            --      -- / --                -- / --\n");
    }

    @Test
    void jsonHasNumbersAndNullsNotText() {
        assertThat(JsonOutput.write(List.of(WEB.json(), DB.json())))
                .contains("\"cpu_percent\" : 12.35").contains("\"memory_bytes\" : 536870912")
                .contains("\"block_written_bytes\" : 3145728").contains("\"cpu_percent\" : null");
    }

    @Test
    void cpuPercentIsCpuTimeOverWallTimeOfOneHostCpu() {
        assertThat(StatsSampler.cpuPercent(0, 0, 500_000_000, 1_000_000_000).getAsDouble()).isEqualTo(50.0);
        assertThat(StatsSampler.cpuPercent(0, 0, 1_500_000_000, 1_000_000_000).getAsDouble()).isEqualTo(150.0);
        assertThat(StatsSampler.cpuPercent(9, 0, 1, 1_000_000_000)).as("counter reset by a restart").isEmpty();
        assertThat(StatsSampler.cpuPercent(0, 5, 1, 5)).isEmpty();
    }

    @Test
    void qemusOwnCpuTimeIsReadFromProcWhenSystemdDoesNotAccountIt() {
        assertThat(StatsSampler.procCpuNanos(ProcessHandle.current().pid())).isPresent();
        assertThat(StatsSampler.procCpuNanos(0)).isEmpty();
    }
}
