package dev.moire.runtime.store;

import dev.moire.model.Edge;
import dev.moire.model.EdgeKind;
import dev.moire.model.Entity;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.MoireJson;
import dev.moire.model.Snapshot;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code attrs_json} of a stored entity: its body's fields plus the attributes seed 000 asks
 * for, derived when the snapshot is stored and never kept as live state.
 */
final class DerivedAttributes {
  private DerivedAttributes() {}

  /** Counts, per entity, the {@code paired_with} edges it starts: a sender's receivers. */
  static Map<EntityId, Long> receiverCounts(Snapshot s) {
    Map<EntityId, Long> out = new HashMap<>();
    for (Edge x : s.edges()) {
      if (x.kind() == EdgeKind.PAIRED_WITH) {
        out.merge(x.src(), 1L, Long::sum);
      }
    }
    return out;
  }

  static Map<String, Object> of(Entity e, Snapshot s, Map<EntityId, Long> receiverCounts) {
    Map<String, Object> attrs = MoireJson.toMap(e.body());
    attrs.remove("kind");
    attrs.put("name", e.name());
    attrs.put("created_at_ns", e.birth().nanos());
    attrs.put("age_ns", Math.max(0, s.at().nanos() - e.birth().nanos()));
    if (e.body() instanceof EntityBody.MpscTx tx) {
      attrs.put("bounded", tx.capacity().isPresent());
      if (tx.capacity().isPresent()) {
        attrs.put("utilization", (double) tx.queueLen() / tx.capacity().getAsInt());
      }
    } else if (e.body() instanceof EntityBody.OneshotTx tx) {
      attrs.put("state", tx.sent() ? "sent" : "pending");
    } else if (e.body() instanceof EntityBody.WatchTx
        || e.body() instanceof EntityBody.BroadcastTx) {
      attrs.put("receiver_count", receiverCounts.getOrDefault(e.id(), 0L));
    }
    return attrs;
  }
}
