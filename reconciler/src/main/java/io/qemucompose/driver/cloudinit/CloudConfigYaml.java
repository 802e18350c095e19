package io.qemucompose.driver.cloudinit;

import java.util.List;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.RepresentToNode;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.representer.StandardRepresenter;

/**
 * YAML for cloud-init, which reads it with PyYAML — YAML 1.1. SnakeYAML Engine writes YAML 1.2,
 * where {@code 52:54:00:12:34:56}, {@code 0644} or {@code yes} are plain strings; YAML 1.1 reads
 * them as a base-60 integer, an octal integer and a boolean. So every string that YAML 1.1 would
 * resolve to something else is written single-quoted.
 */
public final class CloudConfigYaml {

    /** A short list written on one line ({@code [a, b, c]}), as cloud-init's docs show mount rows. */
    record FlowRow(List<String> items) {
    }

    private static final Pattern YAML11_NON_STRING = Pattern.compile(String.join("|",
            "yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|y|Y|n|N",
            "~|null|Null|NULL|",
            "[-+]?0b[01_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+",
            "[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?",
            "[-+]?(?:[0-9][0-9_]*)?\\.[0-9_]*(?:[eE][-+]?[0-9]+)?",
            "[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)",
            "\\d{4}-\\d\\d?-\\d\\d?.*",
            "<<|="));

    private CloudConfigYaml() {
    }

    /** True when YAML 1.1 (PyYAML, and kubectl's go-yaml) would read {@code s} as something other than a string. */
    public static boolean ambiguousInYaml11(String s) {
        return YAML11_NON_STRING.matcher(s).matches();
    }

    static Dump dumper() {
        DumpSettings settings = DumpSettings.builder()
                .setDefaultFlowStyle(FlowStyle.BLOCK)
                .setIndent(2)
                .setIndicatorIndent(2)
                .setIndentWithIndicator(true)
                .setSplitLines(false)
                .build();
        return new Dump(settings, new Representer(settings));
    }

    private static final class Representer extends StandardRepresenter {
        Representer(DumpSettings settings) {
            super(settings);
            RepresentToNode plain = representers.get(String.class);
            representers.put(String.class, data -> ambiguousInYaml11((String) data)
                    ? representScalar(Tag.STR, (String) data, ScalarStyle.SINGLE_QUOTED)
                    : plain.representData(data));
            representers.put(FlowRow.class, data -> representSequence(Tag.SEQ, ((FlowRow) data).items(), FlowStyle.FLOW));
        }
    }
}
