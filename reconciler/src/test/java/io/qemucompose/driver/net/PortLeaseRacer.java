package io.qemucompose.driver.net;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a second JVM by {@link PortLeasesTest}: leases ports for N projects as fast as it can once told
 * "go" on stdin, and prints each port.
 * Arguments: registryDir projectsRoot prefix count firstPort lastPort.
 */
public final class PortLeaseRacer {

    public static void main(String[] args) throws Exception {
        var leases = new PortLeases(Path.of(args[0]), Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                PortLeases::bindableOnLoopback);
        int count = Integer.parseInt(args[3]);
        System.out.println("ready");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in)).readLine();
        for (int i = 0; i < count; i++) {
            Path project = Files.createDirectories(Path.of(args[1]).resolve(args[2] + "-" + i));
            System.out.println(leases.acquire(project, "vm").port());
        }
        System.out.flush();
    }
}
