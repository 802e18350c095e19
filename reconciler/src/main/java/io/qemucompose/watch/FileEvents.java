package io.qemucompose.watch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The compose files, {@code .env} and {@code .qemu-compose/} as triggers, through the JDK
 * WatchService (inotify on Linux, ~1 ms). Folders are watched, not files, because editors save by
 * writing a temporary file and renaming it over the original: a watch on the old file's inode
 * would go quiet after the first save. Only the names that matter trigger: the compose files and
 * {@code .env} in their folders; {@code state.json} and removed instance folders in
 * {@code .qemu-compose/} (not the logs and sockets QEMU writes all the time, nor the watcher's own
 * status file).
 */
public final class FileEvents implements AutoCloseable {

    private final WatchService service;
    private final Map<WatchKey, Path> dirs = new HashMap<>();
    private final Map<Path, Set<String>> names = new HashMap<>();
    private final Path stateDir;
    private final Thread thread;

    public FileEvents(Set<Path> files, Path stateDir, Consumer<WatchTrigger> sink) {
        this.stateDir = stateDir.toAbsolutePath().normalize();
        try {
            service = FileSystems.getDefault().newWatchService();
            for (Path file : files) {
                Path abs = file.toAbsolutePath().normalize();
                Path dir = abs.getParent();
                names.computeIfAbsent(dir, d -> new java.util.HashSet<>()).add(abs.getFileName().toString());
                names.get(dir).add(".env");
            }
            Files.createDirectories(this.stateDir);
            names.computeIfAbsent(this.stateDir, d -> new java.util.HashSet<>());
            for (Path dir : names.keySet()) {
                dirs.put(dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE), dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch " + files + ": " + e.getMessage(), e);
        }
        thread = Thread.ofPlatform().daemon().name("qemu-compose-file-events").start(() -> loop(sink));
    }

    private void loop(Consumer<WatchTrigger> sink) {
        try {
            while (true) {
                WatchKey key = service.take();
                Path dir = dirs.get(key);
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        sink.accept(WatchTrigger.of(WatchTrigger.Kind.FILE, "(many changes)"));
                        continue;
                    }
                    String name = event.context().toString();
                    if (dir.equals(stateDir) && (name.equals("state.json")
                            || (event.kind() == StandardWatchEventKinds.ENTRY_DELETE && !name.contains(".")))) {
                        sink.accept(WatchTrigger.of(WatchTrigger.Kind.STATE, name));
                    } else if (names.getOrDefault(dir, Set.of()).contains(name)) {
                        sink.accept(WatchTrigger.of(WatchTrigger.Kind.FILE, name));
                    }
                }
                key.reset();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: done
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
        thread.interrupt();
    }
}
