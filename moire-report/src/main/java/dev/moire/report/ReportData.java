package dev.moire.report;

import dev.moire.model.Change;
import dev.moire.model.ChangeBody;
import dev.moire.model.Edge;
import dev.moire.model.EdgeKey;
import dev.moire.model.EdgeKind;
import dev.moire.model.Entity;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.Event;
import dev.moire.model.EventBody;
import dev.moire.model.Scope;
import dev.moire.model.ScopeLink;
import dev.moire.model.Snapshot;
import dev.moire.model.ThreadSnapshot;
import dev.moire.model.findings.Finding;
import dev.moire.model.findings.Findings;
import dev.moire.runtime.store.MoireJson;
import dev.moire.runtime.store.StoredSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The data of one snapshot page, as the page's script reads it: every entity and edge that existed
 * at any moment of the stored journal, laid out once (so nothing jumps when the timeline moves),
 * each with the intervals of sequence numbers during which it existed; the findings; the events and
 * changes of the journal; the thread table.
 */
final class ReportData {
  private ReportData() {}

  /** An interval [from, to) of sequence numbers; {@code to} is {@link Long#MAX_VALUE} if open. */
  private record Span(long from, long to) {}

  static Map<String, Object> build(
      StoredSnapshot meta,
      Snapshot s,
      List<Change> journal,
      List<Finding> findings,
      PageStory story) {
    long first = journal.isEmpty() ? s.seq() + 1 : journal.get(0).seq();
    long firstAt = journal.isEmpty() ? s.at().nanos() : journal.get(0).at().nanos();

    // Every entity and edge that ever existed in the window, with its latest state.
    Map<EntityId, Entity> entities = new TreeMap<>();
    Map<EdgeKey, Edge> edges = new TreeMap<>();
    for (Change c : journal) {
      if (c.body() instanceof ChangeBody.UpsertEntity u) {
        entities.put(u.entity().id(), u.entity());
      } else if (c.body() instanceof ChangeBody.UpsertEdge u) {
        edges.put(u.edge().key(), u.edge());
      }
    }
    s.entities().forEach(e -> entities.put(e.id(), e));
    s.edges().forEach(e -> edges.put(e.key(), e));

    Map<EntityId, List<Span>> entitySpans = new HashMap<>();
    Map<EdgeKey, List<Span>> edgeSpans = new HashMap<>();
    Set<EntityId> present = new HashSet<>();
    Set<EdgeKey> presentEdges = new HashSet<>();
    Map<EntityId, Long> openedAt = new HashMap<>();
    Map<EdgeKey, Long> edgeOpenedAt = new HashMap<>();
    // What existed before the window: born before it, or removed in it before any upsert.
    Set<EntityId> touched = new HashSet<>();
    Set<EdgeKey> touchedEdges = new HashSet<>();
    for (Change c : journal) {
      if (c.body() instanceof ChangeBody.UpsertEntity u && touched.add(u.entity().id())) {
        if (u.entity().birth().nanos() < firstAt) {
          present.add(u.entity().id());
        }
      } else if (c.body() instanceof ChangeBody.RemoveEntity r && touched.add(r.id())) {
        present.add(r.id());
      } else if (c.body() instanceof ChangeBody.UpsertEdge u && touchedEdges.add(u.edge().key())) {
        if (u.edge().since().nanos() < firstAt) {
          presentEdges.add(u.edge().key());
        }
      } else if (c.body() instanceof ChangeBody.RemoveEdge r && touchedEdges.add(r.key())) {
        presentEdges.add(r.key());
      }
    }
    Set<EntityId> finalIds = new HashSet<>();
    s.entities().forEach(e -> finalIds.add(e.id()));
    Set<EdgeKey> finalEdges = new HashSet<>();
    s.edges().forEach(e -> finalEdges.add(e.key()));
    for (EntityId id : entities.keySet()) {
      if (!touched.contains(id) && finalIds.contains(id)) {
        present.add(id);
      }
    }
    for (EdgeKey k : edges.keySet()) {
      if (!touchedEdges.contains(k) && finalEdges.contains(k)) {
        presentEdges.add(k);
      }
    }
    present.forEach(id -> openedAt.put(id, Long.MIN_VALUE));
    presentEdges.forEach(k -> edgeOpenedAt.put(k, Long.MIN_VALUE));
    for (Change c : journal) {
      ChangeBody b = c.body();
      if (b instanceof ChangeBody.UpsertEntity u) {
        openedAt.putIfAbsent(u.entity().id(), c.seq());
      } else if (b instanceof ChangeBody.RemoveEntity r) {
        close(entitySpans, openedAt, r.id(), c.seq());
      } else if (b instanceof ChangeBody.UpsertEdge u) {
        edgeOpenedAt.putIfAbsent(u.edge().key(), c.seq());
      } else if (b instanceof ChangeBody.RemoveEdge r) {
        close(edgeSpans, edgeOpenedAt, r.key(), c.seq());
      }
    }
    for (EntityId id : new ArrayList<>(openedAt.keySet())) {
      close(entitySpans, openedAt, id, finalIds.contains(id) ? Long.MAX_VALUE : s.seq() + 1);
    }
    for (EdgeKey k : new ArrayList<>(edgeOpenedAt.keySet())) {
      close(edgeSpans, edgeOpenedAt, k, finalEdges.contains(k) ? Long.MAX_VALUE : s.seq() + 1);
    }

    // Channel ends and request/response pairs share a box.
    Map<EntityId, Integer> pairedOut = new HashMap<>();
    Map<EntityId, Integer> pairedIn = new HashMap<>();
    for (Edge e : edges.values()) {
      if (e.kind() == EdgeKind.PAIRED_WITH) {
        pairedOut.merge(e.src(), 1, Integer::sum);
        pairedIn.merge(e.dst(), 1, Integer::sum);
      }
    }
    Map<EntityId, EntityId> partner = new HashMap<>();
    for (Edge e : edges.values()) {
      if (e.kind() == EdgeKind.PAIRED_WITH
          && pairedOut.get(e.src()) == 1
          && pairedIn.get(e.dst()) == 1
          && !pairedIn.containsKey(e.src())
          && !pairedOut.containsKey(e.dst())
          && entities.containsKey(e.src())
          && entities.containsKey(e.dst())) {
        partner.put(e.src(), e.dst());
        partner.put(e.dst(), e.src());
      }
    }
    List<GraphLayout.Box> boxes = boxes(entities.keySet(), partner, pairedOut);
    List<GraphLayout.Link> links = new ArrayList<>();
    for (Edge e : edges.values()) {
      links.add(new GraphLayout.Link(edgeId(e.key()), e.src().value(), e.dst().value()));
    }
    GraphLayout.Result layout = GraphLayout.layout(boxes, links);
    // The finding's own drawing: its entities alone, laid out on their own, so that the cycle or
    // the stuck set is drawn compact and readable first, whatever else the graph holds.
    List<GraphLayout.Box> focusBoxes = boxes(story.focus, partner, pairedOut);
    // A hold is drawn from the resource to its holder ("held by"): the arrows then follow the
    // wait-for relation, and a deadlock is drawn as the loop it is.
    List<GraphLayout.Link> focusLinks = new ArrayList<>();
    for (EdgeKey k : story.focusEdges) {
      boolean held = k.kind() == EdgeKind.HOLDS;
      focusLinks.add(
          new GraphLayout.Link(
              edgeId(k), (held ? k.dst() : k.src()).value(), (held ? k.src() : k.dst()).value()));
    }
    GraphLayout.Result focusLayout =
        focusBoxes.isEmpty()
            ? new GraphLayout.Result(Map.of(), Map.of(), 0, 0)
            : GraphLayout.layout(focusBoxes, focusLinks, 120.0);

    Set<EntityId> inFindings = new HashSet<>();
    Set<String> edgesInFindings = new HashSet<>();
    List<Map<String, Object>> findingRows = new ArrayList<>();
    for (Finding f : findings) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", f.kind().wireName());
      m.put("certainty", f.certainty().wireName());
      m.put("explanation", f.explanation());
      m.put("entities", f.entities().stream().map(EntityId::value).toList());
      m.put("edges", f.edges().stream().map(ReportData::edgeId).toList());
      if (f.certainty() != dev.moire.model.findings.Certainty.WARNING) {
        inFindings.addAll(f.entities());
        f.edges().forEach(k -> edgesInFindings.add(edgeId(k)));
      }
      findingRows.add(m);
    }

    Map<EntityId, List<String>> scopesOf = new HashMap<>();
    for (ScopeLink l : s.links()) {
      scopesOf.computeIfAbsent(l.entity(), k -> new ArrayList<>()).add(l.scope().value());
    }
    for (Change c : journal) {
      if (c.body() instanceof ChangeBody.LinkEntityScope l) {
        List<String> list = scopesOf.computeIfAbsent(l.link().entity(), k -> new ArrayList<>());
        if (!list.contains(l.link().scope().value())) {
          list.add(l.link().scope().value());
        }
      }
    }

    List<Map<String, Object>> nodes = new ArrayList<>();
    for (Entity e : entities.values()) {
      double[] r = layout.slots().get(e.id().value());
      if (r == null) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", e.id().value());
      m.put("kind", e.kind().wireName());
      m.put("name", e.name());
      m.put("label", Findings.describe(e));
      // What the box shows: a task of an executor by where it was submitted (its name is its
      // executor's), anything else by its name.
      Optional<String> executor =
          e.body() instanceof EntityBody.Future f ? f.executor() : Optional.empty();
      m.put("display", executor.isPresent() ? e.source().location() : e.name());
      m.put("subtitle", executor.map(x -> "task of " + x).orElse(e.kind().wireName()));
      m.put("source", e.source().location());
      m.put("source_method", e.source().className() + "." + e.source().method());
      m.put("birth_ns", e.birth().nanos());
      m.put("body", MoireJson.toMap(e.body()));
      m.put("x", r[0]);
      m.put("y", r[1]);
      m.put("w", r[2]);
      m.put("h", r[3]);
      double[] fr = focusLayout.slots().get(e.id().value());
      if (fr != null) {
        m.put("fx", fr[0]);
        m.put("fy", fr[1]);
      }
      m.put("pair", partner.containsKey(e.id()) ? partner.get(e.id()).value() : null);
      m.put("full", isFull(e));
      m.put("finding", inFindings.contains(e.id()));
      // Seen in the JVM's own evidence (a monitor, a plain ReentrantLock), not tracked by moire.
      m.put(
          "observed",
          e.body() instanceof dev.moire.model.EntityBody.Lock l && l.observed()
              || e.id().value().contains(":jvm:"));
      m.put("scopes", scopesOf.getOrDefault(e.id(), List.of()));
      m.put("alive", spans(entitySpans.getOrDefault(e.id(), List.of())));
      nodes.add(m);
    }
    List<Map<String, Object>> edgeRows = new ArrayList<>();
    for (Edge e : edges.values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      String id = edgeId(e.key());
      m.put("id", id);
      m.put("src", e.src().value());
      m.put("dst", e.dst().value());
      m.put("kind", e.kind().wireName());
      m.put("timed", e.timed());
      m.put("source", e.source().map(x -> x.location()).orElse(null));
      m.put("points", layout.routes().getOrDefault(id, List.of()));
      if (story.focusEdges.contains(e.key())) {
        m.put("fpoints", focusLayout.routes().getOrDefault(id, List.of()));
      }
      m.put("finding", edgesInFindings.contains(id));
      m.put("alive", spans(edgeSpans.getOrDefault(e.key(), List.of())));
      edgeRows.add(m);
    }

    Map<Long, Map<String, Object>> events = new TreeMap<>();
    for (Event ev : s.events()) {
      events.put(ev.id(), eventRow(ev, null));
    }
    List<Map<String, Object>> changes = new ArrayList<>();
    for (Change c : journal) {
      if (c.body() instanceof ChangeBody.AppendEvent a) {
        events.put(a.event().id(), eventRow(a.event(), c.seq()));
      }
      changes.add(changeRow(c, entities));
    }

    List<Map<String, Object>> scopes = new ArrayList<>();
    for (Scope sc : s.scopes()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", sc.id().value());
      m.put("name", sc.name());
      m.put("kind", sc.kind().wireName());
      scopes.add(m);
    }
    List<Map<String, Object>> threads = new ArrayList<>();
    for (PageStory.ThreadRow r : story.threads) {
      ThreadSnapshot t = r.thread();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", t.name());
      m.put("state", t.state().name());
      m.put("virtual", t.virtual());
      m.put("entity", t.entity().map(EntityId::value).orElse(null));
      m.put("running", r.running());
      m.put("waits_on", r.waitsOn());
      m.put("holds", String.join("\n", r.holds()));
      m.put("in_finding", r.inFinding());
      threads.add(m);
    }

    Map<String, Object> data = new LinkedHashMap<>();
    data.put("test", meta.test());
    data.put("reason", meta.reason());
    data.put("message", meta.message());
    data.put("duration_ms", meta.testDuration().map(d -> d.toMillis()).orElse(null));
    data.put("seq", s.seq());
    data.put("first_seq", first);
    data.put("width", layout.width());
    data.put("height", layout.height());
    data.put("nodes", nodes);
    data.put("edges", edgeRows);
    data.put("findings", findingRows);
    data.put("events", new ArrayList<>(events.values()));
    data.put("changes", changes);
    data.put("scopes", scopes);
    data.put("threads", threads);
    data.put("focus", story.focus.stream().map(EntityId::value).toList());
    return data;
  }

  /**
   * One box per entity of {@code ids}, the two ends of a channel in one box when both are among
   * them.
   */
  private static List<GraphLayout.Box> boxes(
      Set<EntityId> ids, Map<EntityId, EntityId> partner, Map<EntityId, Integer> pairedOut) {
    List<GraphLayout.Box> boxes = new ArrayList<>();
    for (EntityId id : ids) {
      EntityId p = partner.get(id);
      if (p == null || !ids.contains(p)) {
        boxes.add(new GraphLayout.Box(id.value(), List.of(id.value())));
      } else if (pairedOut.containsKey(id)) {
        boxes.add(new GraphLayout.Box("pair " + id.value(), List.of(id.value(), p.value())));
      }
    }
    return boxes;
  }

  private static <K> void close(Map<K, List<Span>> spans, Map<K, Long> open, K key, long at) {
    Long from = open.remove(key);
    if (from != null) {
      spans.computeIfAbsent(key, k -> new ArrayList<>()).add(new Span(from, at));
    }
  }

  /** Spans as [from, to] pairs, with null for an open end (JSON has no infinity). */
  private static List<List<Long>> spans(List<Span> spans) {
    List<List<Long>> out = new ArrayList<>();
    for (Span sp : spans) {
      List<Long> pair = new ArrayList<>(2);
      pair.add(sp.from() == Long.MIN_VALUE ? null : sp.from());
      pair.add(sp.to() == Long.MAX_VALUE ? null : sp.to());
      out.add(pair);
    }
    return out;
  }

  static String edgeId(EdgeKey k) {
    return k.src().value() + " " + k.kind().wireName() + " " + k.dst().value();
  }

  private static boolean isFull(Entity e) {
    return e.body() instanceof EntityBody.MpscTx tx
        && tx.capacity().isPresent()
        && tx.queueLen() >= tx.capacity().getAsInt();
  }

  private static Map<String, Object> eventRow(Event ev, @Nullable Long seq) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seq", seq);
    m.put("at_ns", ev.at().nanos());
    m.put("target", ev.target().id());
    m.put("source", ev.source().location());
    String text = eventText(ev.body());
    m.put("text", text);
    return m;
  }

  /** An entity's state in a few words: its body's fields, such as {@code count 1}. */
  static String bodyText(Entity e) {
    List<String> parts = new ArrayList<>();
    MoireJson.toMap(e.body())
        .forEach(
            (k, v) -> {
              if (!k.equals("kind") && v != null) {
                parts.add(k.replace('_', ' ') + " " + v);
              }
            });
    return parts.isEmpty() ? "changed" : String.join(", ", parts);
  }

  /** What an event says on the page: {@code sent ×1,204 over 3 ms}, {@code received (closed)}. */
  static String eventText(EventBody b) {
    if (b instanceof EventBody.ChannelSent x) {
      return channelText("sent", x.closed(), x.waitNs(), x.count(), x.spanNs());
    } else if (b instanceof EventBody.ChannelReceived x) {
      return channelText("received", x.closed(), x.waitNs(), x.count(), x.spanNs());
    } else if (b instanceof EventBody.StateChanged x) {
      return "state " + x.from() + " → " + x.to();
    } else if (b instanceof EventBody.Custom x) {
      return x.customKind() + " " + x.attrs();
    }
    return b.toString();
  }

  private static String channelText(
      String verb, boolean closed, java.util.OptionalLong waitNs, long count, long spanNs) {
    if (count > 1) {
      // A run of operations that did not wait, counted as one event.
      return verb
          + " ×"
          + String.format(java.util.Locale.ROOT, "%,d", count)
          + " over "
          + duration(spanNs);
    }
    return verb
        + (closed ? " (closed)" : "")
        + (waitNs.isPresent() ? " after waiting " + waitNs.getAsLong() / 1000 + " µs" : "");
  }

  /** A duration for a person: µs below a millisecond, ms below a second, else seconds. */
  static String duration(long nanos) {
    if (nanos < 1_000) {
      return "< 1 µs";
    }
    if (nanos < 1_000_000) {
      return nanos / 1000 + " µs";
    }
    if (nanos < 1_000_000_000) {
      return nanos / 1_000_000 + " ms";
    }
    return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  private static Map<String, Object> changeRow(Change c, Map<EntityId, Entity> entities) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seq", c.seq());
    m.put("at_ns", c.at().nanos());
    ChangeBody b = c.body();
    String text;
    if (b instanceof ChangeBody.UpsertEntity u) {
      text = "+ " + Findings.describe(u.entity());
    } else if (b instanceof ChangeBody.RemoveEntity r) {
      text = "− " + label(entities, r.id());
    } else if (b instanceof ChangeBody.UpsertEdge u) {
      text =
          "+ "
              + label(entities, u.edge().src())
              + " "
              + u.edge().kind().wireName()
              + " "
              + label(entities, u.edge().dst());
    } else if (b instanceof ChangeBody.RemoveEdge r) {
      text =
          "− "
              + label(entities, r.key().src())
              + " "
              + r.key().kind().wireName()
              + " "
              + label(entities, r.key().dst());
    } else if (b instanceof ChangeBody.AppendEvent a) {
      text = "event on " + a.event().target().id();
    } else {
      text = b.getClass().getSimpleName();
    }
    m.put("text", text);
    return m;
  }

  private static String label(Map<EntityId, Entity> entities, EntityId id) {
    Entity e = entities.get(id);
    return e == null ? id.value() : Findings.describe(e);
  }
}
