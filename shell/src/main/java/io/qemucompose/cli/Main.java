package io.qemucompose.cli;

/**
 * The one-shot entry point, run by ./qemu-compose for every command line with arguments. A plain
 * main on purpose: no Spring, no container, so start-up stays within a few hundred milliseconds
 * (see docs/one-shot-and-shell.md).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        var environment = CommandEnvironment.ofProcess();
        if (environment.debugFromEnvironment() || java.util.Arrays.asList(args).contains("--debug")) {
            // must be set before the first slf4j logger exists
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        }
        System.exit(QemuComposeCli.run(environment, args));
    }
}
