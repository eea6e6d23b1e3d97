package dev.moire.runtime.store;

import dev.moire.model.Edge;
import dev.moire.model.EdgeKind;
import dev.moire.model.Entity;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
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

  /**
   * Returns the {@code attrs_json} text of an entity whose body's JSON is {@code bodyJson}: the
   * body's fields but {@code kind}, then the derived attributes. Written directly, not through a
   * map and a second serialisation: it is per entity, and a snapshot may have 100,000.
   */
  static String json(Entity e, String bodyJson, Snapshot s, Map<EntityId, Long> receiverCounts) {
    String prefix = "{\"kind\":\"";
    int end = bodyJson.indexOf('"', prefix.length());
    if (!bodyJson.startsWith(prefix) || end < 0 || !bodyJson.endsWith("}")) {
      throw new IllegalStateException("unexpected body JSON: " + bodyJson);
    }
    // After the kind: either "}" (no other field) or ",<fields>}".
    String fields = bodyJson.substring(end + 1, bodyJson.length() - 1);
    StringBuilder b = new StringBuilder(bodyJson.length() + 96).append('{');
    if (fields.startsWith(",")) {
      b.append(fields, 1, fields.length()).append(',');
    }
    b.append("\"name\":").append(MoireJson.write(e.name()));
    b.append(",\"created_at_ns\":").append(e.birth().nanos());
    b.append(",\"age_ns\":").append(Math.max(0, s.at().nanos() - e.birth().nanos()));
    if (e.body() instanceof EntityBody.MpscTx tx) {
      b.append(",\"bounded\":").append(tx.capacity().isPresent());
      if (tx.capacity().isPresent()) {
        b.append(",\"utilization\":").append((double) tx.queueLen() / tx.capacity().getAsInt());
      }
    } else if (e.body() instanceof EntityBody.OneshotTx tx) {
      b.append(",\"state\":\"").append(tx.sent() ? "sent" : "pending").append('"');
    } else if (e.body() instanceof EntityBody.WatchTx
        || e.body() instanceof EntityBody.BroadcastTx) {
      b.append(",\"receiver_count\":").append(receiverCounts.getOrDefault(e.id(), 0L));
    }
    return b.append('}').toString();
  }
}
