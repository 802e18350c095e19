package io.qemucompose.spec;

import io.qemucompose.spec.SourceNode.Entry;
import io.qemucompose.spec.SourceNode.MapNode;
import io.qemucompose.spec.SourceNode.Scalar;
import io.qemucompose.spec.SourceNode.SeqNode;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Measures what a document becomes once every alias is written out, without writing it out: an
 * aliased node is shared in the tree, so its size is computed once and counted at every use.
 * Everything after reading (merging files, the schema walk, interpolation) visits the expanded
 * document, so this is what bounds their time, whatever the number of aliases.
 */
final class AliasExpansion {
    private record Size(long nodes, long chars) {
        Size plus(Size other) {
            return new Size(saturated(nodes + other.nodes), saturated(chars + other.chars));
        }

        boolean tooLarge() {
            return nodes > YamlSource.MAX_EXPANDED_NODES || chars > YamlSource.MAX_EXPANDED_CHARS;
        }

        private static long saturated(long value) {
            return value < 0 ? Long.MAX_VALUE : value;
        }
    }

    private final Problems problems;
    /** By identity: records compare deeply, which is exactly the expansion we must not do. */
    private final Map<SourceNode, Size> sizes = new IdentityHashMap<>();

    AliasExpansion(Problems problems) {
        this.problems = problems;
    }

    /** False, with a problem at the innermost value that is too large by itself, when over a limit. */
    boolean withinLimits(SourceNode root) {
        if (!size(root).tooLarge()) {
            return true;
        }
        SourceNode at = root;
        String path = "";
        boolean descended = true;
        while (descended) {
            descended = false;
            if (at instanceof MapNode map) {
                for (Entry entry : map.entries().values()) {
                    if (size(entry.value()).tooLarge()) {
                        at = entry.value();
                        path = Fields.child(path, entry.key().text());
                        descended = true;
                        break;
                    }
                }
            } else if (at instanceof SeqNode seq) {
                for (int i = 0; i < seq.items().size() && !descended; i++) {
                    if (size(seq.items().get(i)).tooLarge()) {
                        at = seq.items().get(i);
                        path = Fields.index(path, i);
                        descended = true;
                    }
                }
            }
        }
        Size size = size(at);
        problems.add(at.pos(), path, "found aliases that expand to " + (size.nodes() > YamlSource.MAX_EXPANDED_NODES
                ? "more than " + YamlSource.MAX_EXPANDED_NODES + " values"
                : "more than " + YamlSource.MAX_EXPANDED_CHARS + " characters")
                + "; refused as an alias bomb (anchors used a few times are fine)");
        return false;
    }

    private Size size(SourceNode node) {
        Size known = sizes.get(node);
        if (known != null) {
            return known;
        }
        Size size = switch (node) {
            case Scalar s -> new Size(1, s.text().length());
            case SeqNode s -> {
                Size total = new Size(1, 0);
                for (SourceNode item : s.items()) {
                    total = total.plus(size(item));
                }
                yield total;
            }
            case MapNode m -> {
                Size total = new Size(1, 0);
                for (Entry entry : m.entries().values()) {
                    total = total.plus(new Size(1, entry.key().text().length())).plus(size(entry.value()));
                }
                yield total;
            }
        };
        sizes.put(node, size);
        return size;
    }
}
