package io.qemucompose.apply;

import io.qemucompose.driver.image.ReleaseResolver;
import io.qemucompose.spec.ComposeProject;
import io.qemucompose.spec.ImageRef;
import io.qemucompose.spec.VmSpec;
import io.qemucompose.state.AtomicFiles;
import io.qemucompose.state.ProjectLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns short image names into download URLs once and remembers them in
 * {@code .qemu-compose/releases.json}, so that a new builder release does not change a VM's image
 * behind its back: only {@code pull} resolves again. Projects without short names are returned as they are,
 * without touching the network or the state folder.
 */
public final class ReleaseImages {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** One recorded resolution. */
    public record Record(String url, String tag) {}

    private ReleaseImages() {
    }

    /**
     * @param refresh resolve every short name again ({@code pull}); else only those never resolved
     */
    public static ComposeProject resolve(ComposeProject project, ReleaseResolver resolver, boolean refresh) {
        return resolve(project, resolver, refresh, false);
    }

    /**
     * Only what was recorded, no network, nothing written ({@code --dry-run}): a short name never
     * resolved stays as it is (the QEMU command line names the VM's overlay, not its base image).
     */
    public static ComposeProject recorded(ComposeProject project) {
        return resolve(project, null, false, true);
    }

    private static ComposeProject resolve(ComposeProject project, ReleaseResolver resolver, boolean refresh,
            boolean offline) {
        if (project.vms().values().stream().noneMatch(vm -> vm.image().unresolved())) {
            return project;
        }
        ProjectLayout layout = new ProjectLayout(project.projectDir());
        Map<String, Record> known = read(layout);
        boolean changed = false;
        Map<String, VmSpec> vms = new LinkedHashMap<>();
        for (VmSpec vm : project.vms().values()) {
            if (!vm.image().unresolved()) {
                vms.put(vm.name(), vm);
                continue;
            }
            ImageRef.Release release = vm.image().release().orElseThrow();
            String key = release.shortName() + " " + vm.arch().imageName();
            Record record = known.get(key);
            if (offline && record == null) {
                vms.put(vm.name(), vm);
                continue;
            }
            if (!offline && (record == null || refresh)) {
                ReleaseResolver.Resolved r = resolver.resolve(release, vm.arch());
                Record fresh = new Record(r.url().toString(), r.tag());
                changed |= !fresh.equals(record);
                record = fresh;
                known.put(key, record);
            }
            vms.put(vm.name(), vm.withImage(vm.image().resolvedTo(URI.create(record.url()))));
        }
        if (changed) {
            layout.createStateDir();
            AtomicFiles.write(layout.releasesFile(), JSON.writeValueAsBytes(known));
        }
        return new ComposeProject(project.name(), project.projectDir(), project.files(), project.networks(),
                project.volumes(), vms, project.extensions(), project.warnings(), project.inactiveVms());
    }

    /** What was recorded: {@code "freebsd:14.1 x86-64" → url, tag}. */
    public static Map<String, Record> read(ProjectLayout layout) {
        try {
            if (!Files.isRegularFile(layout.releasesFile())) {
                return new LinkedHashMap<>();
            }
            return new LinkedHashMap<>(JSON.readValue(Files.readAllBytes(layout.releasesFile()),
                    new TypeReference<LinkedHashMap<String, Record>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + layout.releasesFile(), e);
        }
    }
}
