package io.qemucompose.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.qemucompose.testkit.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Drives {@code qemu-compose console} in a real pseudo-terminal: a private tmux server runs the CLI
 * (a fresh JVM on this test's class path) between two {@code stty -g}, the test reads the screen and
 * types into it, then compares the terminal modes before and after.
 */
final class ConsoleSession {

    private final Path dir;
    private final Path projectDir;
    private final Map<String, String> env;
    private final Path socket;

    ConsoleSession(Path home, Path projectDir, Map<String, String> env) throws Exception {
        this.dir = Files.createDirectories(home.resolve("console-session"));
        this.projectDir = projectDir;
        this.env = env;
        this.socket = dir.resolve("tmux.sock");
    }

    void run() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        StringBuilder script = new StringBuilder("#!/bin/sh\n");
        env.forEach((k, v) -> script.append("export ").append(k).append("='").append(v.replace("'", "'\\''")).append("'\n"));
        script.append("cd '").append(projectDir).append("'\n")
                .append("stty -g > '").append(dir.resolve("before")).append("'\n")
                .append("'").append(java).append("' -cp '").append(System.getProperty("java.class.path"))
                .append("' io.qemucompose.cli.Main console ready\n")
                .append("echo \"exit=$?\" > '").append(dir.resolve("exit.tmp")).append("'\n")
                .append("stty -g > '").append(dir.resolve("after")).append("'\n")
                .append("mv '").append(dir.resolve("exit.tmp")).append("' '").append(dir.resolve("exit")).append("'\n")
                .append("exec sleep 300\n");
        Path run = dir.resolve("run.sh");
        Files.writeString(run, script);
        tmux("new-session", "-d", "-s", "ops", "-x", "120", "-y", "40", "sh " + run);
        try {
            awaitScreen("Press Ctrl+] to detach");
            tmux("send-keys", "-t", "ops", "Enter");
            awaitScreen("login:");

            Cli second = new Cli(projectDir, env);
            Cli.Run busy = second.run("console", "ready");
            assertThat(busy.exitCode()).as(busy.toString()).isEqualTo(1);
            assertThat(busy.err()).contains("the console of ready is in use by another client");

            tmux("send-keys", "-t", "ops", "C-]");
            Commands.awaitCondition("console to detach", Duration.ofSeconds(30), Duration.ofMillis(200),
                    () -> Files.exists(dir.resolve("exit")));
            assertThat(Files.readString(dir.resolve("exit")).strip()).isEqualTo("exit=0");
            assertThat(Files.readString(dir.resolve("after"))).isEqualTo(Files.readString(dir.resolve("before")));
            assertThat(screen()).contains("Detached from ready.");
        } finally {
            Commands.run(List.of("tmux", "-S", socket.toString(), "kill-server"));
        }
    }

    private String screen() {
        return tmux("capture-pane", "-p", "-t", "ops");
    }

    private void awaitScreen(String text) {
        Commands.awaitCondition("'" + text + "' on the console screen", Duration.ofSeconds(60), Duration.ofMillis(300),
                () -> screen().contains(text));
    }

    private String tmux(String... args) {
        List<String> argv = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
        argv.addAll(List.of(args));
        return Commands.run(argv, Duration.ofSeconds(30), dir).orThrow().stdout();
    }
}
