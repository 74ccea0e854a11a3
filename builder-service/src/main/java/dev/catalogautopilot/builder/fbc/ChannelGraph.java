package dev.catalogautopilot.builder.fbc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The upgrade graph of one channel, as opm reads it: an entry's {@code replaces} and {@code skips} are edges to
 * older bundles; the head is the one entry no other entry replaces or skips.
 */
public final class ChannelGraph {

    private final Channel channel;
    private final Map<String, ChannelEntry> entries = new TreeMap<>();

    public ChannelGraph(Channel channel) {
        this.channel = channel;
        channel.entries().forEach(e -> entries.put(e.name(), e));
    }

    /** Entries no other entry replaces or skips, sorted. Exactly one in a valid channel. */
    public List<String> heads() {
        Set<String> incoming = new HashSet<>();
        for (ChannelEntry entry : entries.values()) {
            if (entry.replaces() != null) {
                incoming.add(entry.replaces());
            }
            incoming.addAll(entry.skips());
        }
        return entries.keySet().stream().filter(name -> !incoming.contains(name)).toList();
    }

    /** The single head, if the channel has exactly one. */
    public Optional<String> head() {
        List<String> heads = heads();
        return heads.size() == 1 ? Optional.of(heads.get(0)) : Optional.empty();
    }

    /** A {@code replaces} cycle, as the names along it (first repeated at the end), if there is one. */
    public Optional<List<String>> replacesCycle() {
        Set<String> cleared = new HashSet<>();
        for (String start : entries.keySet()) {
            List<String> path = new ArrayList<>();
            Set<String> onPath = new LinkedHashSet<>();
            String current = start;
            while (current != null && entries.containsKey(current) && !cleared.contains(current)) {
                if (!onPath.add(current)) {
                    path.add(current);
                    return Optional.of(path.subList(path.indexOf(current), path.size()));
                }
                path.add(current);
                current = entries.get(current).replaces();
            }
            cleared.addAll(onPath);
        }
        return Optional.empty();
    }

    /**
     * The entries on any upgrade path from {@code from} up to {@code head}: those reachable from the head along
     * replaces/skips edges that themselves reach {@code from}. Empty if {@code from} is not below the head.
     */
    public Set<String> between(String from, String head) {
        Set<String> reachesFrom = new TreeSet<>();
        // Walk the reversed graph from `from` upwards: newer entries that replace or skip something already seen.
        Deque<String> queue = new ArrayDeque<>(List.of(from));
        reachesFrom.add(from);
        while (!queue.isEmpty()) {
            String older = queue.poll();
            for (ChannelEntry entry : entries.values()) {
                boolean edge = older.equals(entry.replaces()) || entry.skips().contains(older);
                if (edge && reachesFrom.add(entry.name())) {
                    queue.add(entry.name());
                }
            }
        }
        if (!reachesFrom.contains(head)) {
            return Set.of();
        }
        Set<String> reachableFromHead = new HashSet<>();
        queue.add(head);
        reachableFromHead.add(head);
        while (!queue.isEmpty()) {
            ChannelEntry entry = entries.get(queue.poll());
            if (entry == null) {
                continue;
            }
            List<String> older = new ArrayList<>(entry.skips());
            if (entry.replaces() != null) {
                older.add(entry.replaces());
            }
            for (String name : older) {
                if (entries.containsKey(name) && reachableFromHead.add(name)) {
                    queue.add(name);
                }
            }
        }
        reachesFrom.retainAll(reachableFromHead);
        return reachesFrom;
    }

    public Channel channel() {
        return channel;
    }
}
