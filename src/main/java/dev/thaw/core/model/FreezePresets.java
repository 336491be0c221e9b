package dev.thaw.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a freeze preset or a list of node paths, as typed on the command line, into a
 * {@link FreezePlan} for one {@link LayerTree}.
 *
 * <ul>
 *   <li>{@code head-only} (also {@code fe}): the whole backbone frozen</li>
 *   <li>{@code last:N} (also {@code last-N}): the last N stages and the head train</li>
 *   <li>{@code bn-only}: only BatchNorm layers and the head train</li>
 *   <li>{@code all} (also {@code none}): everything trains</li>
 *   <li>otherwise comma-separated node paths to freeze ({@code backbone.stem,backbone.layer1};
 *       the {@code backbone.} prefix may be left out)</li>
 * </ul>
 */
public final class FreezePresets {

    private static final Pattern LAST = Pattern.compile("last[:\\-]?(\\d+)");

    /** The preset names, for help texts. */
    public static final List<String> NAMES = List.of("head-only", "last:N", "bn-only", "all");

    private FreezePresets() {
    }

    /** The plan {@code text} means for {@code tree}; throws {@link IllegalArgumentException} naming an unknown path. */
    public static FreezePlan parse(String text, LayerTree tree) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "head-only", "headonly", "head", "fe", "backbone" -> {
                return tree.headOnly();
            }
            case "all", "none", "nothing" -> {
                return tree.allTrainable();
            }
            case "bn-only", "bn", "batchnorm-only", "batchnorm" -> {
                return tree.batchNormOnly();
            }
            default -> {
            }
        }
        Matcher m = LAST.matcher(t);
        if (m.matches()) {
            int n = Integer.parseInt(m.group(1));
            int stages = (int) tree.stages().stream().filter(s -> s.parameterCount() > 0).count();
            if (n > stages) {
                throw new IllegalArgumentException("--freeze " + text + ": the backbone has only " + stages + " stages with weights");
            }
            return tree.lastStages(n);
        }
        TreeSet<String> frozen = new TreeSet<>();
        List<String> unknown = new ArrayList<>();
        for (String raw : text.split(",")) {
            String p = raw.trim();
            if (p.isEmpty()) {
                continue;
            }
            if (tree.find(p).isPresent() && !p.isEmpty()) {
                frozen.add(p);
            } else if (tree.find(LayerTree.BACKBONE + "." + p).isPresent()) {
                frozen.add(LayerTree.BACKBONE + "." + p);
            } else {
                unknown.add(p);
            }
        }
        if (!unknown.isEmpty()) {
            List<String> stages = tree.stages().stream().map(LayerNode::path).toList();
            throw new IllegalArgumentException("--freeze: no layer " + String.join(", ", unknown) + " in this backbone. Use a preset ("
                    + String.join(", ", NAMES) + ") or node paths such as " + String.join(", ", stages.subList(0, Math.min(4, stages.size()))));
        }
        return tree.canonical(new FreezePlan(frozen));
    }
}
