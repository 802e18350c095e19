package io.qemucompose.driver.network;

import io.qemucompose.spec.SubnetSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Scanner;

/**
 * Run in a second JVM by {@link SubnetRegistryTest}: once told "go" on stdin, acquires subnets for
 * N projects as fast as it can and prints each. Arguments: registryDir projectsRoot prefix count.
 */
public final class SubnetRegistryRacer {

    public static void main(String[] args) throws Exception {
        var registry = new SubnetRegistry(Path.of(args[0]));
        System.out.println("ready");
        System.out.flush();
        new Scanner(System.in).nextLine();
        for (int i = 0; i < Integer.parseInt(args[3]); i++) {
            Path project = Files.createDirectories(Path.of(args[1]).resolve(args[2] + "-" + i));
            System.out.println(registry.acquire(project, "n", new SubnetSpec.Auto(), List.of()).cidr());
        }
        System.out.flush();
    }
}
