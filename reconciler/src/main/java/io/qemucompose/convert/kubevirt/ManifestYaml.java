package io.qemucompose.convert.kubevirt;

import io.qemucompose.driver.cloudinit.CloudConfigYaml;
import java.util.List;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.RepresentToNode;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.representer.StandardRepresenter;

/**
 * Manifests as YAML for kubectl. kubectl reads YAML 1.1 (go-yaml), where {@code 52:54:00:12:34:56},
 * {@code 0644} or {@code on} are no strings: such strings are single-quoted, as in the seed. Text of
 * several lines (the user-data) is a literal block, so the manifest shows the seed as the guest gets it.
 */
public final class ManifestYaml {

    private final Dump dump;

    public ManifestYaml() {
        DumpSettings settings = DumpSettings.builder()
                .setDefaultFlowStyle(FlowStyle.BLOCK)
                .setIndent(2)
                .setIndicatorIndent(2)
                .setIndentWithIndicator(true)
                .setSplitLines(false)
                .build();
        dump = new Dump(settings, new Representer(settings));
    }

    /** One object, as one file of {@code -o DIR} holds it. */
    public String document(Manifest manifest) {
        return dump.dumpToString(manifest.object());
    }

    /** All objects as one multi-document stream ({@code -o -}). */
    public String stream(List<Manifest> manifests) {
        StringBuilder out = new StringBuilder();
        for (Manifest manifest : manifests) {
            out.append("---\n").append(document(manifest));
        }
        return out.toString();
    }

    private static final class Representer extends StandardRepresenter {
        Representer(DumpSettings settings) {
            super(settings);
            RepresentToNode plain = representers.get(String.class);
            representers.put(String.class, data -> {
                String s = (String) data;
                if (s.indexOf('\n') >= 0) {
                    // the emitter falls back to a quoted scalar where a literal block cannot hold the text exactly
                    return representScalar(Tag.STR, s, ScalarStyle.LITERAL);
                }
                return CloudConfigYaml.ambiguousInYaml11(s) ? representScalar(Tag.STR, s, ScalarStyle.SINGLE_QUOTED)
                        : plain.representData(data);
            });
        }
    }
}
