package dev.thaw.core.model;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which parts of a model are frozen: a set of node paths, each freezing its whole subtree.
 *
 * <p>Plain data: saved with every run, applied by the engine, shown as ticks on the layer tree and
 * diffed between runs. Frozen means frozen: a frozen node's weights do not change, and neither do
 * its BatchNorm running statistics.
 *
 * @param frozen dotted node paths; the empty set trains everything
 */
public record FreezePlan(SortedSet<String> frozen) {

    /** Nothing frozen. */
    public static final FreezePlan NONE = new FreezePlan(new TreeSet<>());

    public FreezePlan {
        frozen = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(minimal(frozen)));
    }

    public static FreezePlan of(String... paths) {
        return new FreezePlan(new TreeSet<>(List.of(paths)));
    }

    public static FreezePlan of(Collection<String> paths) {
        return new FreezePlan(new TreeSet<>(paths));
    }

    /** True if {@code path} or one of its ancestors is frozen. */
    public boolean isFrozen(String path) {
        for (String f : frozen) {
            if (covers(f, path)) {
                return true;
            }
        }
        return false;
    }

    /** True if {@code ancestor} is {@code path} or a dotted prefix of it ({@code ""} covers everything). */
    public static boolean covers(String ancestor, String path) {
        return ancestor.isEmpty() || path.equals(ancestor) || path.startsWith(ancestor + ".");
    }

    /** Paths frozen here and not in {@code other} (for run diffs). */
    public Set<String> frozenOnlyHere(FreezePlan other) {
        SortedSet<String> out = new TreeSet<>(frozen);
        out.removeIf(other::isFrozen);
        return out;
    }

    /** Drops paths whose ancestor is already in the set, so equal plans compare equal. */
    private static Set<String> minimal(Collection<String> paths) {
        SortedSet<String> out = new TreeSet<>();
        for (String p : paths) {
            if (p == null) {
                continue;
            }
            boolean covered = false;
            for (String q : paths) {
                if (q != null && !q.equals(p) && covers(q, p)) {
                    covered = true;
                    break;
                }
            }
            if (!covered) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return frozen.isEmpty() ? "nothing frozen" : "frozen " + frozen;
    }
}
