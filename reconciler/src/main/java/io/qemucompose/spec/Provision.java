package io.qemucompose.spec;

import java.nio.file.Path;

/** One provisioning step, run in order once the guest is reachable. */
public sealed interface Provision {

    /** {@code - shell: "apt-get install -y nginx"} or {@code - type: shell, inline: ...}. */
    record InlineShell(String script) implements Provision {}

    /** {@code - type: shell, script: ./setup.sh}: a host script copied in and run. */
    record ShellScript(Path script) implements Provision {}

    /** {@code - type: file, source: ./app.conf, destination: /etc/app.conf}. */
    record FileCopy(Path source, String destination) implements Provision {}
}
