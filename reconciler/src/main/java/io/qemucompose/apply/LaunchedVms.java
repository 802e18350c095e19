package io.qemucompose.apply;

import io.qemucompose.state.AtomicFiles;
import io.qemucompose.state.ProjectLayout;
import io.qemucompose.state.ProjectLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The VMs {@code launch} adds to the desired state, as the controller seed's Launch does: entries of
 * {@code .qemu-compose/launched.yaml}, a compose file the reconciler owns and every command merges
 * after the project's own ({@code ComposeFiles.locate}). It is written as JSON, which is YAML 1.2,
 * so reading it back needs no YAML writer of our own; the comment lines on top are YAML comments.
 */
public final class LaunchedVms {

    /** One launched VM: the compose fields {@code launch} sets. */
    public record Launch(String name, String image, OptionalInt cpu, Optional<String> memory, Optional<String> diskSize) {
        Map<String, Object> fields() {
            Map<String, Object> vm = new LinkedHashMap<>();
            vm.put("image", image);
            cpu.ifPresent(c -> vm.put("cpu", c));
            memory.ifPresent(m -> vm.put("memory", m));
            diskSize.ifPresent(d -> vm.put("disk", Map.of("size", d)));
            return vm;
        }
    }

    /** Loads the project with the new file in place and throws what the loader finds wrong. */
    @FunctionalInterface
    public interface Check {
        void validate() throws Exception;
    }

    private static final String HEADER = """
            # Written by `qemu-compose launch` (the API's POST /vms): VMs added to the desired state.
            # Every command merges this file after the project's compose files. Move a VM into your own
            # file to keep it, then remove it here.
            """;
    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_YAML_COMMENTS).build();

    private final ProjectLayout layout;

    public LaunchedVms(ProjectLayout layout) {
        this.layout = layout;
    }

    /** The launched VMs by name, in the order they were launched. */
    @SuppressWarnings("unchecked")
    public Map<String, Map<String, Object>> read() {
        Path file = layout.launchedVmsFile();
        if (!Files.isRegularFile(file)) {
            return new LinkedHashMap<>();
        }
        try {
            Map<String, Object> root = JSON.readValue(Files.readString(file), LinkedHashMap.class);
            Object vms = root.get("vms");
            return vms instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Map<String, Object>>) m) : new LinkedHashMap<>();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Adds {@code launch} under the project lock; when {@code check} refuses the result (a bad image,
     * a name the loader rejects), the file is put back as it was and the refusal is rethrown.
     */
    public void add(Launch launch, Check check) throws Exception {
        layout.createStateDir();
        try (ProjectLock.Held lock = ProjectLock.acquire(layout.lockFile(), Duration.ofSeconds(30))) {
            Path file = layout.launchedVmsFile();
            Optional<byte[]> before = Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
            Map<String, Map<String, Object>> vms = read();
            if (vms.containsKey(launch.name())) {
                throw new IllegalArgumentException("VM '" + launch.name() + "' was launched already (" + file + ")");
            }
            vms.put(launch.name(), launch.fields());
            AtomicFiles.write(file, (HEADER + JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(Map.of("vms", vms)) + "\n").getBytes(StandardCharsets.UTF_8));
            try {
                check.validate();
            } catch (Exception e) {
                if (before.isPresent()) {
                    AtomicFiles.write(file, before.get());
                } else {
                    Files.deleteIfExists(file);
                }
                throw e;
            }
        }
    }
}
