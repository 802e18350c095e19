package io.qemucompose.cli.command;

import io.qemucompose.driver.Drivers;
import io.qemucompose.cli.CommandEnvironment;
import io.qemucompose.cli.ExitCode;
import io.qemucompose.cli.ProjectLoading;
import io.qemucompose.cli.UserFacingException;
import io.qemucompose.driver.image.ImageCache;
import io.qemucompose.spec.ComposeFileException;
import io.qemucompose.status.ImageUsers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qemu-compose image ls|rm|prune}: the per-user cache of base images. Removal refuses an
 * image that an overlay still uses (see {@link ImageUsers} for which projects are looked at).
 */
@Command(name = "image", mixinStandardHelpOptions = true, description = "Manage the cached base images.",
        subcommands = {ImageCommand.Ls.class, ImageCommand.Rm.class, ImageCommand.Prune.class})
public final class ImageCommand implements Callable<Integer> {

    private final CommandEnvironment env;

    public ImageCommand(CommandEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        throw new UserFacingException("missing subcommand: image ls, image rm NAME, or image prune", ExitCode.USAGE, null);
    }

    /** Base image → users, over the current project (when there is one here) and every project in the port registry. */
    static Map<Path, List<ImageUsers.Overlay>> users(CommandEnvironment env, ProjectLoading loading, Drivers drivers) {
        Path project = env.cwd();
        try {
            project = loading.locate().projectDir();
        } catch (ComposeFileException | RuntimeException e) {
            // no compose file here: the registry's projects are still checked
        }
        return ImageUsers.scan(project, drivers.portLeases().all());
    }

    static List<ImageUsers.Overlay> usersOf(Map<Path, List<ImageUsers.Overlay>> users, ImageCache.CachedImage image) {
        Path real;
        try {
            real = image.path().toRealPath();
        } catch (IOException e) {
            real = image.path().toAbsolutePath().normalize();
        }
        return users.getOrDefault(real, List.of());
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List cached base images.")
    static final class Ls implements Callable<Integer> {
        public enum Format { table, json }

        private final CommandEnvironment env;

        @Mixin
        private ProjectLoading project;

        @Option(names = "--format", defaultValue = "table", description = "Output: ${COMPLETION-CANDIDATES}.")
        private Format format;

        Ls(CommandEnvironment env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            try (Drivers drivers = Drivers.forUser(env.env())) {
                ImageCache cache = drivers.images();
                List<ImageCache.CachedImage> images = cache.list();
                if (format == Format.json) {
                    Map<Path, List<ImageUsers.Overlay>> users = users(env, project, drivers);
                    List<Map<String, Object>> rows = new ArrayList<>();
                    for (ImageCache.CachedImage image : images) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("name", image.name());
                        m.put("size_bytes", image.sizeBytes());
                        m.put("size", HumanSizes.of(image.sizeBytes()));
                        m.put("path", image.path().toString());
                        m.put("used_by", usersOf(users, image).stream().map(o -> {
                            Map<String, Object> u = new LinkedHashMap<>();
                            u.put("project", o.projectDir().toString());
                            u.put("vm", o.vm());
                            return u;
                        }).toList());
                        rows.add(m);
                    }
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("cache_dir", cache.dir().toString());
                    doc.put("images", rows);
                    env.out().print(JsonOutput.write(doc));
                    return ExitCode.OK;
                }
                env.out().print(table(cache.dir(), images));
                return ExitCode.OK;
            }
        }

        static String table(Path dir, List<ImageCache.CachedImage> images) {
            StringBuilder sb = new StringBuilder();
            sb.append("Image cache directory: ").append(dir).append("\n\n");
            String fmt = "%-50s %-15s %s%n";
            sb.append(String.format(fmt, "FILENAME", "SIZE", "PATH"));
            sb.append("-".repeat(120)).append('\n');
            for (ImageCache.CachedImage image : images) {
                sb.append(String.format(fmt, image.name(), HumanSizes.of(image.sizeBytes()), image.path()));
            }
            sb.append("\nTotal: ").append(images.size()).append(" image(s)\n");
            return sb.toString();
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true,
            description = "Remove cached images; refused for an image an existing VM disk still uses.")
    static final class Rm implements Callable<Integer> {
        private final CommandEnvironment env;

        @Mixin
        private ProjectLoading project;

        @Parameters(paramLabel = "NAME", arity = "1..*", description = "Image file names as `image ls` shows them.")
        private List<String> names = new ArrayList<>();

        Rm(CommandEnvironment env) {
            this.env = env;
        }

        /**
         * The image {@code image ls} shows as {@code name}, or, since cache files are named
         * {@code <12 hex of the URL's hash>-<file name>}, the one cached file of that plain file name
         * ({@code debian-12.qcow2}); several of that name must be named in full.
         */
        static ImageCache.CachedImage resolve(Map<String, ImageCache.CachedImage> byName, String name) {
            ImageCache.CachedImage exact = byName.get(name);
            if (exact != null) {
                return exact;
            }
            List<ImageCache.CachedImage> plain = byName.values().stream()
                    .filter(i -> i.name().matches("[0-9a-f]{12}-" + java.util.regex.Pattern.quote(name))).toList();
            if (plain.size() > 1) {
                throw new UserFacingException("several cached images are named '" + name + "' (from different URLs): "
                        + String.join(", ", plain.stream().map(ImageCache.CachedImage::name).toList())
                        + "; name one as `qemu-compose image ls` shows it");
            }
            return plain.isEmpty() ? null : plain.getFirst();
        }

        @Override
        public Integer call() {
            try (Drivers drivers = Drivers.forUser(env.env())) {
                ImageCache cache = drivers.images();
                Map<String, ImageCache.CachedImage> byName = new LinkedHashMap<>();
                cache.list().forEach(i -> byName.put(i.name(), i));
                Map<Path, List<ImageUsers.Overlay>> users = users(env, project, drivers);
                // check everything first: a refused name changes nothing, not even for the other names
                for (String name : names) {
                    ImageCache.CachedImage image = resolve(byName, name);
                    if (image == null) {
                        throw new UserFacingException("no cached image named '" + name + "' (see `qemu-compose image ls`)");
                    }
                    List<ImageUsers.Overlay> using = usersOf(users, image);
                    if (!using.isEmpty()) {
                        throw new UserFacingException("image " + image.name() + " is used by the disk of " + using.stream()
                                .map(Object::toString).reduce((a, b) -> a + ", " + b).orElseThrow()
                                + "; destroy those VMs first (`qemu-compose destroy`)");
                    }
                }
                for (String name : names) {
                    String file = resolve(byName, name).name();
                    cache.remove(file);
                    env.out().println("Removed " + file);
                }
                return ExitCode.OK;
            }
        }
    }

    @Command(name = "prune", mixinStandardHelpOptions = true,
            description = "Remove every cached image no existing VM disk uses (current project and every project "
                    + "whose VMs leased an SSH port on this machine).")
    static final class Prune implements Callable<Integer> {
        private final CommandEnvironment env;

        @Mixin
        private ProjectLoading project;

        @Option(names = "--dry-run", description = "Only say what would be removed.")
        private boolean dryRun;

        Prune(CommandEnvironment env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            try (Drivers drivers = Drivers.forUser(env.env())) {
                ImageCache cache = drivers.images();
                Map<Path, List<ImageUsers.Overlay>> users = users(env, project, drivers);
                long freed = 0;
                int count = 0;
                for (ImageCache.CachedImage image : cache.list()) {
                    List<ImageUsers.Overlay> using = usersOf(users, image);
                    if (!using.isEmpty()) {
                        env.out().println("Kept " + image.name() + " (used by " + using.size() + " VM disk(s))");
                        continue;
                    }
                    if (!dryRun) {
                        cache.remove(image.name());
                    }
                    env.out().println((dryRun ? "Would remove " : "Removed ") + image.name() + " ("
                            + HumanSizes.of(image.sizeBytes()) + ")");
                    freed += image.sizeBytes();
                    count++;
                }
                env.out().println((dryRun ? "Would free " : "Freed ") + HumanSizes.of(freed) + " in " + count + " image(s)");
                return ExitCode.OK;
            }
        }
    }
}
