package io.qemucompose.daemon.api;

import io.swagger.v3.oas.annotations.Operation;
import java.util.ArrayList;
import java.util.List;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The REST resources. Each answer is the JSON the matching command prints with {@code --format json}
 * (same shapes as the CLI's, documented in docs/inspect-json.md and the plan's format_version 2),
 * so the API cannot drift from the CLI.
 */
@RestController
@Tag(name = "qemu-compose")
class ApiController {

    private static final String JSON = MediaType.APPLICATION_JSON_VALUE;

    private final CommandFace commands;
    private final EventHub events;

    ApiController(CommandFace commands, EventHub events) {
        this.commands = commands;
        this.events = events;
    }

    @Operation(summary = "The project's resolved compose file (config --format json)")
    @GetMapping(path = "/project", produces = JSON)
    ResponseEntity<String> project() {
        return json("config", "--format", "json");
    }

    @Operation(summary = "What apply would do now (plan --format json)")
    @GetMapping(path = "/project/plan", produces = JSON)
    ResponseEntity<String> plan() {
        return json("plan", "--format", "json");
    }

    @Operation(summary = "Plan and apply: make the machine match the file (up --no-wait --format json)")
    @PostMapping(path = "/project/apply", produces = JSON)
    ResponseEntity<String> apply() {
        return json("up", "--no-wait", "--format", "json");
    }

    @Operation(summary = "Every VM with its state (ps --format json)")
    @GetMapping(path = "/vms", produces = JSON)
    ResponseEntity<String> vms(@RequestParam(defaultValue = "true") boolean probe) {
        return probe ? json("ps", "--format", "json") : json("ps", "--format", "json", "--no-probe");
    }

    /** The body of {@code POST /vms}: the fields {@code launch} takes. */
    record LaunchRequest(String name, String image, Integer cpu, String memory,
            @com.fasterxml.jackson.annotation.JsonProperty("disk_size") String diskSize, Boolean start) {}

    @Operation(summary = "Launch: add a VM to the desired state (.qemu-compose/launched.yaml) and start it (launch NAME --image ...)")
    @PostMapping(path = "/vms", consumes = JSON, produces = JSON)
    ResponseEntity<String> launch(@RequestBody LaunchRequest request) {
        if (request.name() == null || request.image() == null) {
            throw new ApiException(org.springframework.http.HttpStatus.BAD_REQUEST, "Bad request", "name and image are required");
        }
        List<String> words = new ArrayList<>(List.of("launch", request.name(), "--image", request.image()));
        if (request.cpu() != null) {
            words.addAll(List.of("--cpu", request.cpu().toString()));
        }
        if (request.memory() != null) {
            words.addAll(List.of("--memory", request.memory()));
        }
        if (request.diskSize() != null) {
            words.addAll(List.of("--disk-size", request.diskSize()));
        }
        if (Boolean.FALSE.equals(request.start())) {
            words.add("--no-start");
            return done(words.toArray(String[]::new));
        }
        words.addAll(List.of("--format", "json"));
        return json(words.toArray(String[]::new));
    }

    @Operation(summary = "Every detail of one VM (inspect --format json)")
    @GetMapping(path = "/vms/{vm}", produces = JSON)
    ResponseEntity<String> vm(@PathVariable String vm) {
        return json("inspect", vm, "--format", "json");
    }

    @Operation(summary = "Start an existing VM (start)")
    @PostMapping(path = "/vms/{vm}/start", produces = JSON)
    ResponseEntity<String> start(@PathVariable String vm) {
        return done("start", vm);
    }

    @Operation(summary = "Stop a VM gracefully (stop --format json)")
    @PostMapping(path = "/vms/{vm}/stop", produces = JSON)
    ResponseEntity<String> stop(@PathVariable String vm) {
        return json("stop", vm, "--format", "json");
    }

    @Operation(summary = "Restart a VM (restart)")
    @PostMapping(path = "/vms/{vm}/restart", produces = JSON)
    ResponseEntity<String> restart(@PathVariable String vm) {
        return done("restart", vm);
    }

    @Operation(summary = "The project's networks (network ls --format json)")
    @GetMapping(path = "/networks", produces = JSON)
    ResponseEntity<String> networks() {
        return json("network", "ls", "--format", "json");
    }

    @Operation(summary = "The project's named volumes (volume ls --format json)")
    @GetMapping(path = "/volumes", produces = JSON)
    ResponseEntity<String> volumes() {
        return json("volume", "ls", "--format", "json");
    }

    @Operation(summary = "The image cache (image ls --format json)")
    @GetMapping(path = "/images", produces = JSON)
    ResponseEntity<String> images() {
        return json("image", "ls", "--format", "json");
    }

    @Operation(summary = "Server-Sent Events: unit state changes, QMP events, reconciler passes")
    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events() {
        return events.open();
    }

    private ResponseEntity<String> json(String... words) {
        CommandFace.Outcome outcome = commands.run(words);
        if (!outcome.succeeded() && !looksLikeJson(outcome.out())) {
            throw ApiException.of(outcome);
        }
        // a JSON document with a failure in it (up/stop report per VM) keeps its shape, with a 500
        return ResponseEntity.status(outcome.succeeded() ? 200 : 500).contentType(MediaType.APPLICATION_JSON)
                .body(outcome.out());
    }

    private ResponseEntity<String> done(String... words) {
        CommandFace.Outcome outcome = commands.run(words);
        if (!outcome.succeeded()) {
            throw ApiException.of(outcome);
        }
        var body = new java.util.LinkedHashMap<String, Object>();
        body.put("command", words[0]);
        body.put("vm", words[1]);
        body.put("output", outcome.out().lines().toList());
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .body(tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(body));
    }

    private static boolean looksLikeJson(String out) {
        String s = out.strip();
        return s.startsWith("{") || s.startsWith("[");
    }
}
