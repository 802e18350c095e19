package io.qemucompose.watch;

import io.qemucompose.driver.systemd.KillMode;
import io.qemucompose.driver.systemd.OutputTarget;
import io.qemucompose.driver.systemd.TransientUnit;
import io.qemucompose.state.ProjectLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.freedesktop.dbus.types.UInt64;

/**
 * The background reconciler as a transient systemd user unit, {@code
 * qemu-compose-<project>-reconciler.service}: the daemon's JVM runs under the user manager, not
 * under the CLI that asked for it, so it outlives the terminal. Its output goes to
 * {@link ProjectLayout#reconcilerLog()}.
 */
public final class ReconcilerUnit {

    /** The daemon's entry point (shell module, Spring Boot); named, not referenced, to keep Spring off this path. */
    public static final String DAEMON_MAIN = "io.qemucompose.daemon.ReconcilerDaemon";
    /** Overrides the daemon's classpath (tests run from a build tree, not the launcher). */
    public static final String CLASSPATH_ENV = "QEMU_COMPOSE_DAEMON_CLASSPATH";
    /**
     * Replaces the daemon's JVM options (whitespace-separated): scripts/bench-daemon measures the
     * old settings beside the new ones in one run.
     */
    public static final String JVM_OPTIONS_ENV = "QEMU_COMPOSE_DAEMON_JVM_OPTIONS";

    /**
     * The only variables of the CLI's environment the daemon gets (plus those the compose files
     * interpolate): the bus, locale, QEMU choices, caches. Not the rest: a caller's tokens and
     * agent sockets would otherwise live on in a long-running unit, visible in its properties.
     */
    private static final List<String> PASSED_ENV_PREFIXES = List.of("QEMU_COMPOSE_", "XDG_", "LC_");
    private static final Set<String> PASSED_ENV = Set.of("HOME", "PATH", "LANG", "DBUS_SESSION_BUS_ADDRESS");

    /** {@code ${NAME…}} or {@code $NAME}, not {@code $$} (a literal dollar). */
    private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\{?([A-Za-z_][A-Za-z0-9_]*)");

    /** A failed daemon (a crash, a lost bus) comes back after this pause; systemd's start limit still applies. */
    static final Duration RESTART_PAUSE = Duration.ofSeconds(10);

    /**
     * Sized for a daemon that runs all day next to the VMs (scripts/bench-daemon measures it): a
     * small serial-GC heap that gives memory back, the C1 compiler only (start-up and a small code
     * cache matter more than peak speed for a few requests a second), compact headers, one compiler
     * thread, glibc's freed memory handed back every 5 s (TrimNativeHeapInterval), no hsperfdata file.
     * The young generation is fixed at 3 MiB ({@code -Xmn3m}): it grew with the heap to 9 MiB, all of
     * it resident, for a process that serves a few requests a second (2–8 MiB less resident in
     * scripts/bench-daemon; more short-lived objects reach the old generation, which the serial
     * collector compacts and shrinks back by the free ratios when it fills).
     */
    static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xss512k", "-Xms8m", "-Xmx64m", "-Xmn3m",
            "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1",
            "-XX:ReservedCodeCacheSize=32m", "-XX:MaxMetaspaceSize=128m", "-XX:+UseCompactObjectHeaders",
            "-XX:TrimNativeHeapInterval=5000", "-XX:-UsePerfData");

    private ReconcilerUnit() {}

    public static String unitName(String project) {
        return io.qemucompose.state.ProjectLayout.reconcilerUnit(project);
    }

    /**
     * @param daemonArgs the daemon's own arguments (Spring Boot properties, see the daemon)
     * @param environment the CLI's environment; only the allow-listed variables are passed on, and
     *     those the compose files name (the daemon reloads and re-interpolates them on every change)
     * @param composeFiles the files whose {@code ${VAR}} references are passed on
     */
    public static TransientUnit of(String project, ProjectLayout layout, List<String> javaCommand,
            List<String> daemonArgs, Map<String, String> environment, List<Path> composeFiles) {
        List<String> argv = new ArrayList<>(javaCommand);
        argv.add(DAEMON_MAIN);
        argv.addAll(daemonArgs);
        Set<String> referenced = referencedVariables(composeFiles);
        Map<String, String> env = new TreeMap<>();
        environment.forEach((k, v) -> {
            if (PASSED_ENV.contains(k) || PASSED_ENV_PREFIXES.stream().anyMatch(k::startsWith) || referenced.contains(k)) {
                env.put(k, v);
            }
        });
        // glibc makes a malloc arena per thread that allocates (up to 8 per core); a daemon serving a
        // few requests a second needs two, and each arena keeps memory resident
        env.put("MALLOC_ARENA_MAX", "2");
        return TransientUnit.service(unitName(project), argv)
                .description("qemu-compose background reconciler (project " + project + ")")
                .workingDirectory(layout.projectDir())
                .environment(env)
                .standardOutput(OutputTarget.append(layout.reconcilerLog()))
                .standardError(OutputTarget.append(layout.reconcilerLog()))
                // SIGTERM → Spring closes the context → the loop finishes its pass; then SIGKILL
                .killMode(KillMode.MIXED)
                .timeoutStop(Duration.ofSeconds(120))
                .property("Restart", "s", "on-failure")
                .property("RestartUSec", "t", new UInt64(RESTART_PAUSE.toNanos() / 1000))
                .build();
    }

    /** Names of the variables {@code files} interpolate; unreadable files name none (the daemon reports them). */
    static Set<String> referencedVariables(List<Path> files) {
        Set<String> names = new TreeSet<>();
        for (Path file : files) {
            try {
                Matcher m = REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    if (m.group(1) != null) {
                        names.add(m.group(1));
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // nothing to pass on for it
            }
        }
        return names;
    }

    /**
     * {@code java -cp <classpath>} for the daemon: this JVM's own java binary; the classpath from
     * {@link #CLASSPATH_ENV}, else this JVM's classpath when it has Spring Boot on it, else the
     * launcher's shell classpath ({@code shell/target/launcher.env} next to {@code
     * qemu-compose.jar}: the one-shot classpath has no Spring).
     */
    public static List<String> javaCommand(Map<String, String> environment) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = environment.get(CLASSPATH_ENV);
        if (classpath == null || classpath.isBlank()) {
            String own = System.getProperty("java.class.path", "");
            classpath = own.contains("spring-boot") ? own : launcherShellClasspath(own)
                    .orElseThrow(() -> new IllegalStateException("cannot find the daemon's classpath: run qemu-compose "
                            + "through ./qemu-compose, or set " + CLASSPATH_ENV));
        }
        List<String> argv = new ArrayList<>();
        argv.add(java);
        String options = environment.get(JVM_OPTIONS_ENV);
        if (options != null && !options.isBlank()) {
            argv.addAll(List.of(options.strip().split("\\s+")));
        } else {
            argv.addAll(JVM_OPTIONS);
        }
        argv.addAll(List.of("-cp", classpath));
        return List.copyOf(argv);
    }

    static Optional<String> launcherShellClasspath(String ownClasspath) {
        for (String entry : ownClasspath.split(java.io.File.pathSeparator)) {
            if (entry.endsWith("qemu-compose.jar")) {
                Path env = Path.of(entry).toAbsolutePath().getParent().resolve("launcher.env");
                try {
                    for (String line : Files.readAllLines(env)) {
                        if (line.startsWith("qc_cp_shell=")) {
                            return Optional.of(unquoteBash(line.substring("qc_cp_shell=".length())));
                        }
                    }
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Undoes bash's {@code printf %q} for the simple case it produces for paths: backslash escapes. */
    static String unquoteBash(String s) {
        if (s.length() >= 2 && s.startsWith("'") && s.endsWith("'")) {
            return s.substring(1, s.length() - 1);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                c = s.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }
}
