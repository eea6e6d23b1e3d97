package dev.moire.report;

import dev.moire.model.Change;
import dev.moire.model.ChangeBody;
import dev.moire.model.Edge;
import dev.moire.model.EdgeKey;
import dev.moire.model.EdgeKind;
import dev.moire.model.Entity;
import dev.moire.model.EntityId;
import dev.moire.model.Snapshot;
import dev.moire.model.Source;
import dev.moire.model.ThreadSnapshot;
import dev.moire.model.findings.Certainty;
import dev.moire.model.findings.Finding;
import dev.moire.model.findings.Findings;
import dev.moire.runtime.store.StoredSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a snapshot's page tells first, worked out once for the page and its plain-text copy: the
 * finding it leads with, the entities drawn first (the finding's, and what they hold and wait on),
 * each thread as a person reads it (what it runs, waits on and holds, its own frames), and the
 * recent history of the finding's resources from the journal.
 */
final class PageStory {
  /** How many journal lines the history keeps: the last moments, not the whole test. */
  static final int HISTORY = 40;

  /** Frames that are not the user's own, beyond the JDK's ({@link Source#isJdkClass}). */
  private static final List<String> LIBRARY_PREFIXES =
      List.of(
          "javax.",
          "org.junit.",
          "org.opentest4j.",
          "org.apache.maven.surefire.",
          "org.gradle.",
          "dev.moire.runtime.",
          "dev.moire.model.",
          "dev.moire.junit.MoireExtension",
          "dev.moire.junit.TestSession",
          "dev.moire.junit.Watchdog");

  final StoredSnapshot meta;
  final Snapshot snapshot;
  final Optional<Finding> lead;
  final Set<EntityId> focus;
  final Set<EdgeKey> focusEdges;
  final List<ThreadRow> threads;
  final List<HistoryLine> history;
  private final Optional<String> sourceUrl;

  /** One thread, as the table and the copy show it. */
  record ThreadRow(
      ThreadSnapshot thread,
      String running,
      String waitsOn,
      List<String> holds,
      List<Frame> frames,
      boolean inFinding) {}

  /** One frame of a stack: whether it is the user's own, and a link to its source if any. */
  record Frame(Source source, boolean user, Optional<String> link) {
    String text() {
      return source.className() + "." + source.method() + " (" + source.location() + ")";
    }
  }

  /** One line of the history: how long before the snapshot, and what happened. */
  record HistoryLine(long beforeNanos, String text) {}

  PageStory(
      StoredSnapshot meta,
      Snapshot s,
      List<Change> journal,
      List<Finding> findings,
      Optional<String> sourceUrl) {
    this.meta = meta;
    this.snapshot = s;
    this.sourceUrl = sourceUrl;
    this.lead = lead(meta.message(), findings);
    Set<EntityId> f = new LinkedHashSet<>();
    Set<EdgeKey> fe = new LinkedHashSet<>();
    lead.ifPresent(
        x -> {
          f.addAll(x.entities());
          for (EdgeKey k : x.edges()) {
            f.add(k.src());
            f.add(k.dst());
            fe.add(k);
          }
        });
    // What the finding's tasks hold and wait on, and the other end of each channel: the whole
    // story of the stuck set, not only the edges its sentence walks.
    for (Edge e : s.edges()) {
      boolean from = f.contains(e.src());
      if (from && (e.kind() == EdgeKind.HOLDS || e.kind() == EdgeKind.WAITING_ON)) {
        fe.add(e.key());
      }
    }
    for (EdgeKey k : fe) {
      f.add(k.dst());
    }
    for (Edge e : s.edges()) {
      if (e.kind() == EdgeKind.PAIRED_WITH && (f.contains(e.src()) || f.contains(e.dst()))) {
        f.add(e.src());
        f.add(e.dst());
        fe.add(e.key());
      }
      if (e.kind() == EdgeKind.HOLDS && f.contains(e.src()) && f.contains(e.dst())) {
        fe.add(e.key());
      }
    }
    f.removeIf(id -> s.entity(id).isEmpty());
    fe.removeIf(k -> !f.contains(k.src()) || !f.contains(k.dst()));
    this.focus = f;
    this.focusEdges = fe;
    this.threads = threadRows(s, f);
    this.history = history(s, journal, f);
  }

  /**
   * The finding a failing test is known by: the certain one its failure quotes (a lost sender is
   * also a stall), else its first certain one, else the first that is not a warning.
   */
  static Optional<Finding> lead(String message, List<Finding> findings) {
    List<Finding> certain =
        findings.stream().filter(f -> f.certainty() == Certainty.CERTAIN).toList();
    return certain.stream()
        .filter(f -> message.contains(f.explanation()))
        .findFirst()
        .or(() -> certain.stream().findFirst())
        .or(() -> findings.stream().filter(f -> f.certainty() != Certainty.WARNING).findFirst());
  }

  private String label(EntityId id) {
    return snapshot.entity(id).map(Findings::describe).orElse(id.value());
  }

  private List<ThreadRow> threadRows(Snapshot s, Set<EntityId> f) {
    // What each thread's entity waits on and holds: one pass over the edges for the whole table.
    Map<EntityId, String> waitsOf = new java.util.HashMap<>();
    Map<EntityId, List<String>> holdsOf = new java.util.HashMap<>();
    for (ThreadSnapshot t : s.threads()) {
      t.entity().ifPresent(id -> holdsOf.put(id, new ArrayList<>()));
    }
    for (Edge e : s.edges()) {
      List<String> holds = holdsOf.get(e.src());
      if (holds == null) {
        continue; // not a thread's entity
      }
      if (e.kind() == EdgeKind.WAITING_ON) {
        waitsOf.put(
            e.src(), label(e.dst()) + e.source().map(x -> " (" + x.location() + ")").orElse(""));
      } else if (e.kind() == EdgeKind.HOLDS) {
        holds.add(label(e.dst()) + e.source().map(x -> " since " + x.location()).orElse(""));
      }
    }
    List<ThreadRow> rows = new ArrayList<>();
    for (ThreadSnapshot t : s.threads()) {
      String running = t.entity().map(this::label).orElse("");
      String waits = t.entity().map(waitsOf::get).orElse("");
      List<String> holds = t.entity().map(holdsOf::get).orElse(List.of());
      if (waits.isEmpty() && t.blocker().isPresent()) {
        waits = t.blocker().get() + t.lockOwner().map(o -> ", held by '" + o + "'").orElse("");
      }
      if (!t.notifiedAt().isEmpty()) {
        waits += ", notified " + Findings.describe(t.notifiedAt());
      }
      if (t.startedAt().isPresent()) {
        String started = "started at " + t.startedAt().get().location();
        running = running.isEmpty() ? started : running + ", " + started;
      }
      List<Frame> frames = new ArrayList<>();
      for (Source src : t.topFrames()) {
        boolean user = isUser(src.className());
        frames.add(new Frame(src, user, link(src)));
      }
      boolean inFinding = t.entity().map(f::contains).orElse(false);
      rows.add(new ThreadRow(t, running, waits, holds, frames, inFinding));
    }
    return rows;
  }

  /** Whether a frame is the user's own code: not the JDK's, the test engine's or moire's. */
  static boolean isUser(String className) {
    if (Source.isJdkClass(className)) {
      return false;
    }
    for (String p : LIBRARY_PREFIXES) {
      if (className.startsWith(p)) {
        return false;
      }
    }
    return !className.contains("$$Lambda");
  }

  /**
   * A link to a frame's source under the configured URL template ({@code {path}}: the package's
   * directories and the file, {@code {line}}, {@code {commit}}), when one is configured.
   */
  Optional<String> link(Source src) {
    if (sourceUrl.isEmpty() || src.line() <= 0 || src.file().equals("Unknown")) {
      return Optional.empty();
    }
    String template = sourceUrl.get();
    if (template.contains("{commit}") && meta.commit().isEmpty()) {
      return Optional.empty();
    }
    String cls = src.className();
    int dot = cls.lastIndexOf('.');
    String path = (dot < 0 ? "" : cls.substring(0, dot).replace('.', '/') + "/") + src.file();
    return Optional.of(
        template
            .replace("{path}", path)
            .replace("{line}", Integer.toString(src.line()))
            .replace("{commit}", meta.commit().orElse("")));
  }

  private List<HistoryLine> history(Snapshot s, List<Change> journal, Set<EntityId> f) {
    List<HistoryLine> out = new ArrayList<>();
    Map<EntityId, Entity> known = new java.util.HashMap<>();
    s.entities().forEach(e -> known.put(e.id(), e));
    for (Change c : journal) {
      if (c.body() instanceof ChangeBody.UpsertEntity u) {
        known.putIfAbsent(u.entity().id(), u.entity());
      }
    }
    long at = s.at().nanos();
    Set<EntityId> seen = new java.util.HashSet<>();
    for (Change c : journal) {
      String text = historyText(c, f, known, seen);
      if (text != null) {
        out.add(new HistoryLine(Math.max(0, at - c.at().nanos()), text));
      }
    }
    return out.size() <= HISTORY ? out : List.copyOf(out.subList(out.size() - HISTORY, out.size()));
  }

  private static String name(Map<EntityId, Entity> known, EntityId id) {
    Entity e = known.get(id);
    return e == null ? id.value() : Findings.describe(e);
  }

  private static @org.jspecify.annotations.Nullable String historyText(
      Change c, Set<EntityId> f, Map<EntityId, Entity> known, Set<EntityId> seen) {
    ChangeBody b = c.body();
    if (b instanceof ChangeBody.UpsertEntity u && f.contains(u.entity().id())) {
      boolean first = seen.add(u.entity().id());
      return name(known, u.entity().id())
          + (first
              ? " appears (made at " + u.entity().source().location() + ")"
              : " is now " + ReportData.bodyText(u.entity()));
    }
    if (b instanceof ChangeBody.RemoveEntity r && f.contains(r.id())) {
      return name(known, r.id()) + " is gone";
    }
    if (b instanceof ChangeBody.UpsertEdge u
        && (f.contains(u.edge().src()) || f.contains(u.edge().dst()))) {
      Edge e = u.edge();
      String where = e.source().map(x -> " (" + x.location() + ")").orElse("");
      return switch (e.kind()) {
        case WAITING_ON ->
            name(known, e.src())
                + (e.timed() ? " waits, with a timeout, on " : " waits on ")
                + name(known, e.dst())
                + where;
        case HOLDS -> name(known, e.src()) + " holds " + name(known, e.dst()) + where;
        case POLLS -> name(known, e.src()) + " uses " + name(known, e.dst()) + where;
        case PAIRED_WITH -> null;
      };
    }
    if (b instanceof ChangeBody.RemoveEdge r
        && (f.contains(r.key().src()) || f.contains(r.key().dst()))) {
      return switch (r.key().kind()) {
        case WAITING_ON ->
            name(known, r.key().src()) + " stops waiting on " + name(known, r.key().dst());
        case HOLDS -> name(known, r.key().src()) + " releases " + name(known, r.key().dst());
        case POLLS, PAIRED_WITH -> null;
      };
    }
    if (b instanceof ChangeBody.AppendEvent a) {
      EntityId target = EntityId.of(a.event().target().id());
      if (f.contains(target)) {
        return name(known, target)
            + ": "
            + ReportData.eventText(a.event().body())
            + " ("
            + a.event().source().location()
            + ")";
      }
    }
    return null;
  }

  /** How long before the snapshot, for a person: {@code −1.2 s}, {@code −35 ms}, {@code now}. */
  static String before(long nanos) {
    if (nanos < 1_000_000) {
      return "now";
    }
    return "−" + ReportData.duration(nanos);
  }

  /**
   * The page as plain text for a bug report: the test and its finding, then every thread — state,
   * what it runs, waits on and holds, its own frames — and the last moments of the history.
   */
  String plainText() {
    StringBuilder b = new StringBuilder();
    b.append("moire: ").append(meta.test()).append(" (").append(meta.reason()).append(")\n");
    lead.ifPresentOrElse(
        f ->
            b.append(f.kind().wireName().replace('_', ' '))
                .append(" (")
                .append(f.certainty().wireName())
                .append("): ")
                .append(f.explanation())
                .append('\n'),
        () -> {
          String first = meta.message().lines().findFirst().orElse("");
          if (!first.isEmpty()) {
            b.append(first).append('\n');
          }
        });
    b.append("\nthreads:\n");
    for (ThreadRow r : threads) {
      ThreadSnapshot t = r.thread();
      b.append("- '")
          .append(t.name())
          .append("' ")
          .append(t.state().name().toLowerCase(Locale.ROOT))
          .append(t.virtual() ? " (virtual)" : "");
      if (!r.running().isEmpty()) {
        b.append(", running ").append(r.running());
      }
      if (!r.waitsOn().isEmpty()) {
        b.append(", waits on ").append(r.waitsOn());
      }
      if (!r.holds().isEmpty()) {
        b.append(", holds ").append(String.join(" and ", r.holds()));
      }
      b.append('\n');
      for (Frame f : userFramesOr3(r.frames())) {
        b.append("    at ").append(f.text()).append('\n');
      }
    }
    if (!history.isEmpty()) {
      b.append("\nlast moments:\n");
      for (HistoryLine h : history) {
        b.append("  ").append(before(h.beforeNanos())).append("  ").append(h.text()).append('\n');
      }
    }
    return b.toString();
  }

  /** The user's own frames of a stack, or its top three when it has none. */
  static List<Frame> userFramesOr3(List<Frame> frames) {
    List<Frame> user = frames.stream().filter(Frame::user).toList();
    return user.isEmpty() ? frames.subList(0, Math.min(3, frames.size())) : user;
  }
}
