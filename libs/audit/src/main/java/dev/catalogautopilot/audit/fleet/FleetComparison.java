package dev.catalogautopilot.audit.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/** Compares two fleet matrices cell by cell and field by field; instants compare as instants, not as text. */
public final class FleetComparison {

    private static final Map<String, Function<FleetCell, Object>> FIELDS = new LinkedHashMap<>();

    static {
        FIELDS.put("image", FleetCell::image);
        FIELDS.put("digest", FleetCell::digest);
        FIELDS.put("state", FleetCell::state);
        FIELDS.put("since", FleetCell::since);
        FIELDS.put("causedBy", FleetCell::causedBy);
        FIELDS.put("rolloutId", FleetCell::rolloutId);
        FIELDS.put("updatedAt", FleetCell::updatedAt);
    }

    private FleetComparison() {
    }

    /** Every difference, by cluster, catalog and field; empty when the two are equal. */
    public static List<FleetDifference> compare(List<FleetCell> projected, List<FleetCell> live) {
        Map<String, FleetCell[]> pairs = new TreeMap<>();
        projected.forEach(c -> pairs.computeIfAbsent(key(c), k -> new FleetCell[2])[0] = c);
        live.forEach(c -> pairs.computeIfAbsent(key(c), k -> new FleetCell[2])[1] = c);
        List<FleetDifference> differences = new ArrayList<>();
        for (FleetCell[] pair : pairs.values()) {
            FleetCell any = pair[0] != null ? pair[0] : pair[1];
            if (pair[0] == null || pair[1] == null) {
                differences.add(new FleetDifference(any.cluster(), any.catalog(), "cell",
                        pair[0] == null ? "absent" : "present", pair[1] == null ? "absent" : "present"));
                continue;
            }
            FIELDS.forEach((field, value) -> {
                Object mine = value.apply(pair[0]);
                Object theirs = value.apply(pair[1]);
                if (!Objects.equals(mine, theirs)) {
                    differences.add(new FleetDifference(any.cluster(), any.catalog(), field, Objects.toString(mine),
                            Objects.toString(theirs)));
                }
            });
        }
        return differences;
    }

    private static String key(FleetCell cell) {
        return cell.cluster() + "\u0000" + cell.catalog();
    }
}
