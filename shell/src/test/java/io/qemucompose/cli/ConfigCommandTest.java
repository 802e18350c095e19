package io.qemucompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.spec.ComposeLoader;
import io.qemucompose.spec.ComposeSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandTest {

    @TempDir
    Path tmp;
    Path project;

    static final String COMPOSE = """
            x-base: &base
              image: https://example.org/debian-12.qcow2
              memory: 1G
            vms:
              web:
                <<: *base
                cpu: 2
                volumes:
                  - ./site:/srv/site:ro
              db:
                <<: *base
            """;

    @BeforeEach
    void writeProject() throws IOException {
        project = tmp.resolve("shop");
        Files.createDirectories(project);
        Files.writeString(project.resolve("qemu-compose.yaml"), COMPOSE);
    }

    @Test
    void printsTheResolvedModelAsJson() {
        CliRun run = CliRun.run(project, "config", "--format", "json");
        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                {
                  "name" : "shop",
                  "networks" : { },
                  "volumes" : { },
                  "vms" : {
                    "web" : {
                      "image" : "https://example.org/debian-12.qcow2",
                      "os" : "linux",
                      "platform" : "%2$s",
                      "cpu" : 2,
                      "memory" : 1024,
                      "networks" : [ ],
                      "volumes" : [ {
                        "source" : "%s",
                        "target" : "/srv/site",
                        "read_only" : true,
                        "automount" : true
                      } ],
                      "ports" : [ ],
                      "environment" : { },
                      "provision" : [ ],
                      "depends_on" : { },
                      "restart" : "no"
                    },
                    "db" : {
                      "image" : "https://example.org/debian-12.qcow2",
                      "os" : "linux",
                      "platform" : "%2$s",
                      "cpu" : 2,
                      "memory" : 1024,
                      "networks" : [ ],
                      "volumes" : [ ],
                      "ports" : [ ],
                      "environment" : { },
                      "provision" : [ ],
                      "depends_on" : { },
                      "restart" : "no"
                    }
                  },
                  "x-base" : {
                    "image" : "https://example.org/debian-12.qcow2",
                    "memory" : "1G"
                  }
                }
                """.formatted(project.resolve("site"), io.qemucompose.spec.GuestArch.host().platform()));
    }

    @Test
    void anObsoleteVersionIsAWarningOnStderrAsInDockerCompose() throws IOException {
        Files.writeString(project.resolve("qemu-compose.yaml"), "version: \"1.0\"\n" + COMPOSE);
        CliRun run = CliRun.run(project, "config", "-q");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("warning: " + project.resolve("qemu-compose.yaml")
                + ": the attribute `version` is obsolete, it will be ignored, please remove it to avoid potential"
                + " confusion\n");
    }

    @Test
    void yamlOutputLoadsBackToTheSameProject() throws Exception {
        CliRun run = CliRun.run(project, "config");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("name: shop\n").contains("target: /srv/site");
        Path copy = project.resolve("resolved.yaml");
        Files.writeString(copy, run.out());
        var loader = new ComposeLoader(Map.of());
        var reloaded = loader.load(new ComposeSource(java.util.List.of(copy), project), Optional.empty());
        var original = loader.load(ComposeSource.of(project.resolve("qemu-compose.yaml")), Optional.empty());
        assertThat(reloaded.name()).isEqualTo(original.name());
        assertThat(reloaded.vms()).isEqualTo(original.vms());
        assertThat(reloaded.networks()).isEqualTo(original.networks());
        assertThat(reloaded.volumes()).isEqualTo(original.volumes());
    }

    @Test
    void quietValidatesWithoutOutput() {
        CliRun run = CliRun.run(project, "config", "-q");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEmpty();
    }

    @Test
    void listsNamesOnePerLine() {
        assertThat(CliRun.run(project, "config", "--vms").out()).isEqualTo("web\ndb\n");
        assertThat(CliRun.run(project, "config", "--services").out()).isEqualTo("web\ndb\n");
        assertThat(CliRun.run(project, "config", "--volumes").out()).isEmpty();
    }

    @Test
    void namedVmsRestrictTheOutputAndUnknownOnesAreAnError() {
        assertThat(CliRun.run(project, "config", "--vms", "db").out()).isEqualTo("db\n");
        CliRun unknown = CliRun.run(project, "config", "nope");
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(unknown.err()).isEqualTo("qemu-compose: no VM named 'nope' in project shop (VMs: web, db)\n");
    }

    @Test
    void invalidFileReportsEveryProblemWithPositionAndExitsOne() throws IOException {
        Files.writeString(project.resolve("bad.yaml"), """
                vms:
                  web:
                    image: https://example.org/a.qcow2
                    memroy: 10
                    cpu: two
                """);
        CliRun run = CliRun.run(project, "config", "-q", "-f", "bad.yaml");
        assertThat(run.exitCode()).isEqualTo(ExitCode.ERROR);
        assertThat(run.out()).isEmpty();
        var lines = run.err().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith(project.resolve("bad.yaml") + ":4:5: vms.web.memroy: ")
                .contains("did you mean 'memory'?");
        assertThat(lines.get(1)).startsWith(project.resolve("bad.yaml") + ":5:10: vms.web.cpu: ");
    }

    @Test
    void conflictingListOptionsAreAUsageError() {
        CliRun run = CliRun.run(project, "config", "-q", "--vms");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("choose one of");
    }
}
