package io.qemucompose.cli.command;

import java.util.List;
import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.driver.Drivers;
import io.qemucompose.driver.qemu.QmpClient;
import io.qemucompose.spec.ComposeProject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code qemu-compose qmp VM COMMAND [JSON-ARGS]}: one QMP command passed through, its reply printed
 * as JSON; {@code qmp VM --events} follows the VM's QMP events, one JSON object a line, until Ctrl-C
 * or QEMU exits. QEMU serves one client per monitor: keep it short, as {@code stop} needs the monitor.
 */
@Command(name = "qmp", mixinStandardHelpOptions = true,
        description = "Run a QMP command on a running VM and print the reply as JSON, or follow its QMP events.")
public final class QmpCommand implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final CommandEnvironment env;

    @Mixin
    private ProjectLoading project;

    @Parameters(index = "0", paramLabel = "VM")
    private String vm;

    @Parameters(index = "1", arity = "0..1", paramLabel = "COMMAND", description = "e.g. query-status")
    private String command;

    @Parameters(index = "2", arity = "0..1", paramLabel = "JSON-ARGS", description = "the arguments as a JSON object")
    private String arguments;

    @Option(names = "--events", description = "Follow the VM's QMP events instead (one JSON object a line).")
    private boolean events;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", description = "Reply deadline (default: ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    public QmpCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        if (events == (command != null)) {
            throw new UserFacingException("give either a COMMAND or --events", ExitCode.USAGE, null);
        }
        Map<String, Object> args = parseArguments(arguments);
        ComposeProject compose = project.load(List.of(vm));
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        try (Drivers drivers = Drivers.forUser(env.env());
             QmpClient qmp = QmpClient.connect(RunningVm.require(compose, vm, drivers).qmpSocket(), timeout)) {
            if (events) {
                qmp.addEventListener(e -> {
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("event", e.name());
                    line.put("data", e.data());
                    line.put("timestamp", e.timestamp().toString());
                    env.out().println(JSON.writeValueAsString(line));
                    env.out().flush();
                });
                qmp.awaitDisconnect(Duration.ofDays(365));
                return ExitCode.OK;
            }
            JsonNode reply = qmp.execute(command, args, timeout);
            env.out().println(JsonOutput.write(reply));
            return ExitCode.OK;
        }
    }

    static Map<String, Object> parseArguments(String text) {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        try {
            JsonNode node = JSON.readTree(text);
            if (!node.isObject()) {
                throw new UserFacingException("JSON-ARGS must be a JSON object such as '{\"device\": \"disk0\"}', found "
                        + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT), ExitCode.USAGE, null);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = JSON.convertValue(node, LinkedHashMap.class);
            return map;
        } catch (JacksonException e) {
            throw new UserFacingException("JSON-ARGS is not valid JSON: " + e.getOriginalMessage(), ExitCode.USAGE, e);
        }
    }
}
