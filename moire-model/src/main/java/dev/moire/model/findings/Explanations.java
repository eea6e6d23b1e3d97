package dev.moire.model.findings;

import dev.moire.model.Edge;
import dev.moire.model.EdgeKind;
import dev.moire.model.Entity;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.EntityKind;
import dev.moire.model.OperationSite;
import dev.moire.model.ThreadSnapshot;
import dev.moire.model.findings.Findings.Need;
import dev.moire.model.findings.Findings.Node;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The words of a snapshot's findings, apart from the rules that find them (the words change for
 * other reasons: what a person debugging the hang needs to read next). One sentence that can be
 * read aloud, then details; every participant named, every wait at the user's own line. See {@link
 * Findings} for what they say.
 */
final class Explanations {
  private final Findings f;

  Explanations(Findings f) {
    this.f = f;
  }

  /**
   * What a person waiting on {@code r} asks next: who holds it (a lock, a semaphore, a once-cell),
   * or, for a task, whether it runs and where, or waits in its executor's queue behind busy
   * threads. Empty when there is nothing to add.
   */
  String aboutWaitedOn(@Nullable Entity r) {
    if (r == null) {
      return "";
    }
    if (Findings.isTask(r)) {
      return taskState(r);
    }
    if (Findings.isFuture(r)) {
      List<OperationSite> alike =
          r.body() instanceof EntityBody.OneshotRx rx ? rx.completedAlike() : List.of();
      return ", created at "
          + r.source().location()
          + (alike.isEmpty() ? "" : "; others made there were completed " + sites(alike));
    }
    if (r.body() instanceof EntityBody.Latch latch) {
      return ", "
          + latch.count()
          + (latch.count() == 1 ? " count" : " counts")
          + " to come"
          + (latch.countedDown().isEmpty() ? "" : ", counted down " + sites(latch.countedDown()));
    }
    if (!Findings.isSync(r) || Findings.isObserved(r)) {
      return "";
    }
    List<String> holders = new ArrayList<>();
    for (Need n : f.needsOf(r.id())) {
      if (n.via().kind() == EdgeKind.HOLDS) {
        holders.add(holder(n.to(), r.id(), true));
      }
    }
    return holders.isEmpty() ? "" : ", held by " + String.join(" and ", holders);
  }

  /**
   * Where a thread someone joins was started, as a clause ({@code , started at Warmer.java:21,}),
   * when moire-agent saw its start; empty otherwise.
   */
  String startedAt(@Nullable Entity thread) {
    if (thread == null || !(thread.body() instanceof EntityBody.Thread body)) {
      return "";
    }
    ThreadSnapshot row = f.threadOf(thread.id());
    for (int i = 0; row == null && i < f.snapshot.threads().size(); i++) {
      ThreadSnapshot t = f.snapshot.threads().get(i); // a row the JVM gave, standing for no entity
      row = t.entity().isEmpty() && t.name().equals(body.threadName()) ? t : null;
    }
    return row == null || row.startedAt().isEmpty()
        ? ""
        : ", started at " + row.startedAt().get().location() + ",";
  }

  /**
   * Where an operation was done and by whom: {@code at Warmer.java:30 by thread 'a', thread 'b' and
   * others and at Warmer.java:41 by thread 'c'}.
   */
  static String sites(List<OperationSite> sites) {
    List<String> each = new ArrayList<>();
    for (OperationSite s : sites) {
      List<String> threads = new ArrayList<>();
      s.threads().forEach(t -> threads.add("thread '" + t + "'"));
      if (s.moreThreads()) {
        threads.add("others");
      }
      each.add("at " + s.at().location() + " by " + listed(threads));
    }
    return String.join(" and ", each);
  }

  /** {@code a}, {@code a and b}, {@code a, b and c}. */
  private static String listed(List<String> items) {
    int n = items.size();
    return n <= 1
        ? String.join("", items)
        : String.join(", ", items.subList(0, n - 1)) + " and " + items.get(n - 1);
  }

  /**
   * A holder of {@code resource}, with the line where it took it when that is known, and, {@code
   * onThread}, the thread that runs it when it is a task (in a stall, which names threads).
   */
  String holder(EntityId task, EntityId resource, boolean onThread) {
    Entity e = f.entity(task);
    String name = e == null ? task.value() : describe(e);
    ThreadSnapshot runner = f.threadOf(task);
    if (onThread
        && e != null
        && e.kind() == EntityKind.FUTURE
        && runner != null
        && runner.state() != Thread.State.TERMINATED) {
      name += " on '" + runner.name() + "'";
    }
    Node n = f.nodes.get(task);
    if (n != null) {
      for (Edge h : n.holding) {
        if (h.dst().equals(resource) && h.source().isPresent()) {
          return name + " (since " + h.source().get().location() + ")";
        }
      }
    }
    return name;
  }

  /** What a stuck task holds, as a clause: {@code , holding lock 'ledger' (since A.java:3)}. */
  String holdings(EntityId task) {
    Node n = f.nodes.get(task);
    if (n == null || n.holding.isEmpty()) {
      return "";
    }
    List<String> held = new ArrayList<>();
    for (Edge h : n.holding) {
      Entity r = f.entity(h.dst());
      if (r != null) {
        held.add(describe(r) + h.source().map(x -> " (since " + x.location() + ")").orElse(""));
      }
    }
    return held.isEmpty() ? "" : ", holding " + String.join(" and ", held);
  }

  /**
   * Whether a task runs, and on which thread, or waits in its executor's queue: a task of an
   * executor that no thread runs is queued behind the executor's busy threads.
   */
  String taskState(Entity task) {
    ThreadSnapshot runner = f.threadOf(task.id());
    if (runner != null && runner.state() != Thread.State.TERMINATED) {
      return task.kind() == EntityKind.FUTURE ? ", running on '" + runner.name() + "'" : "";
    }
    Optional<String> executor = Findings.executorOf(task);
    if (executor.isEmpty()) {
      return "";
    }
    List<String> busy = new ArrayList<>();
    for (ThreadSnapshot t : f.snapshot.threads()) {
      Entity running = t.entity().map(f::entity).orElse(null);
      if (t.state() != Thread.State.TERMINATED
          && running != null
          && Findings.executorOf(running).equals(executor)) {
        busy.add("'" + t.name() + "'");
      }
    }
    return ", queued and not started: the executor has no free thread"
        + (busy.isEmpty()
            ? ""
            : " (" + String.join(", ", busy) + (busy.size() == 1 ? " is busy)" : " are busy)"));
  }

  /**
   * Returns the frame that says what a thread blocked outside moire is doing: the JDK call the
   * user's code made ({@code Thread.join}, {@code CountDownLatch.await}, {@code
   * ReentrantLock.lock}: the frame above the first one outside the JDK), the user's own frame when
   * it blocks there (a {@code synchronized} block), else the first one below the parking machinery
   * ({@code Object.wait}, {@code LockSupport.park}, the AQS internals).
   */
  static Optional<dev.moire.model.Source> meaningfulFrame(ThreadSnapshot t) {
    List<dev.moire.model.Source> frames = t.topFrames();
    for (int i = 0; i < frames.size(); i++) {
      if (!dev.moire.model.Source.isJdkClass(frames.get(i).className())) {
        return Optional.of(frames.get(i == 0 ? 0 : i - 1));
      }
    }
    for (dev.moire.model.Source f : frames) {
      String c = f.className();
      boolean machinery =
          dev.moire.model.Source.isObjectWait(f)
              || c.startsWith("jdk.internal.")
              || c.equals("java.util.concurrent.locks.LockSupport")
              || c.startsWith("java.util.concurrent.locks.AbstractQueuedSynchronizer")
              || c.equals("java.util.concurrent.ForkJoinPool")
              || c.startsWith("sun.misc.Unsafe");
      if (!machinery) {
        return Optional.of(f);
      }
    }
    return t.topFrames().stream().findFirst();
  }

  /**
   * Where the user's code made the call a thread waits in: the first frame outside the JDK below
   * {@code call}, such as {@code Warmup.java:31} for {@code CountDownLatch.await}; the call's own
   * location when no such frame was kept.
   */
  static String userLocation(ThreadSnapshot t, dev.moire.model.Source call) {
    boolean below = false;
    for (dev.moire.model.Source f : t.topFrames()) {
      if (f == call) {
        below = true;
      } else if (below && !dev.moire.model.Source.isJdkClass(f.className())) {
        return f.location();
      }
    }
    return call.location();
  }

  static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  /**
   * The cycle as one sentence from {@code start} back to it, every holder of each lock and
   * semaphore on it named with the line where it took it; then every other task of the component
   * with what it waits on (two readers that each want the write lock are both named).
   */
  String cycle(EntityId start, List<Need> cycle, Set<EntityId> members) {
    StringBuilder b = new StringBuilder(describe(f.entity(start)));
    EntityId from = start;
    List<EntityId> alsoWaiting = new ArrayList<>();
    for (int i = 0; i < cycle.size(); i++) {
      Need n = cycle.get(i);
      Entity to = f.entity(n.to());
      if (n.via().kind() == EdgeKind.WAITING_ON) {
        Edge edge = f.edgeOf(n.via());
        boolean join = Findings.isTask(to);
        b.append(i == 0 ? " " : ", which ")
            .append(
                Findings.isObservedMonitor(to)
                    ? "is blocked entering "
                    : join ? "waits for " : "waits on ")
            .append(describe(to));
        b.append(join ? " to end (" : " (").append(where(edge, to)).append(')');
      } else if (f.entity(from).body() instanceof EntityBody.Semaphore sem && !sem.holdersKnown()) {
        b.append(", ")
            .append(sem.handedOutPermits())
            .append(sem.handedOutPermits() == 1 ? " permit" : " permits")
            .append(" held, holders unknown since a hand-off at ")
            .append(sem.handOff().orElse("?"))
            .append(" (last known: ")
            .append(describe(to))
            .append(')');
      } else if (Findings.isSync(f.entity(from)) && !Findings.isObserved(f.entity(from))) {
        // Every holder counts (permits, read holds), not just the one the cycle goes through.
        EntityId resource = from;
        List<EntityId> holders =
            f.needsOf(from).stream()
                .filter(x -> x.via().kind() == EdgeKind.HOLDS)
                .map(Need::to)
                .distinct()
                .toList();
        b.append(", held by ")
            .append(
                holders.stream()
                    .map(h -> holder(h, resource, false))
                    .collect(java.util.stream.Collectors.joining(" and ")));
        for (EntityId h : holders) {
          if (!h.equals(n.to()) && !h.equals(start) && !alsoWaiting.contains(h)) {
            alsoWaiting.add(h);
          }
        }
      } else {
        b.append(", ").append(n.phrase()).append(' ').append(describe(to));
        Edge hold = f.holds.get(n.via());
        if (Findings.isObserved(f.entity(from)) && hold != null && hold.source().isPresent()) {
          b.append(" since ").append(hold.source().get().location());
        }
      }
      from = n.to();
    }
    Set<EntityId> walked = new HashSet<>();
    walked.add(start);
    for (Need n : cycle) {
      walked.add(n.to());
    }
    for (EntityId m : members) {
      if (!walked.contains(m) && !alsoWaiting.contains(m) && Findings.isTask(f.entity(m))) {
        alsoWaiting.add(m);
      }
    }
    for (EntityId h : alsoWaiting) {
      Edge w = f.waitOf(h);
      if (w != null && f.nodes.containsKey(w.dst())) {
        Entity r = f.entity(w.dst());
        b.append("; ")
            .append(describe(f.entity(h)))
            .append(" waits on ")
            .append(describe(r))
            .append(" (")
            .append(where(w, r))
            .append(')');
      }
    }
    return b.toString();
  }

  /**
   * Names, after the cycle, the tasks outside it that wait on one of its locks: they are stuck
   * behind it, not part of it ("; and 2 more threads wait on monitor RootLogger@6c5921cd: ...").
   */
  String pileUp(Set<EntityId> members) {
    Map<EntityId, List<EntityId>> behind = new java.util.TreeMap<>();
    for (Edge w : f.waits.values()) {
      Node task = f.nodes.get(w.src());
      Node r = f.nodes.get(w.dst());
      if (task != null
          && r != null
          && task.isTask()
          && !r.isTask() // behind a lock of the cycle; a joiner of one of its threads is not
          && !members.contains(w.src())
          && members.contains(w.dst())) {
        behind.computeIfAbsent(w.dst(), k -> new ArrayList<>()).add(w.src());
      }
    }
    StringBuilder b = new StringBuilder();
    for (Map.Entry<EntityId, List<EntityId>> e : behind.entrySet()) {
      List<EntityId> tasks = new ArrayList<>(e.getValue());
      tasks.sort(null);
      int shown = Math.min(5, tasks.size());
      // Where each waits: said once when they all wait at one line (seven loggers), else each.
      Entity r = f.entity(e.getKey());
      java.util.Set<String> places = new java.util.TreeSet<>();
      for (EntityId task : tasks) {
        Edge w = f.waitOf(task);
        places.add(w == null ? "" : where(w, r));
      }
      boolean onePlace = places.size() == 1 && !places.contains("");
      b.append("; and ")
          .append(tasks.size())
          .append(tasks.size() == 1 ? " more task waits on " : " more tasks wait on ")
          .append(describe(r))
          .append(onePlace ? " (" + places.iterator().next() + ")" : "")
          .append(": ");
      for (int i = 0; i < shown; i++) {
        EntityId task = tasks.get(i);
        Edge w = f.waitOf(task);
        b.append(i == 0 ? "" : ", ").append(describe(f.entity(task)));
        if (w != null && !onePlace) {
          b.append(" (").append(where(w, r)).append(')');
        }
        b.append(holdings(task));
      }
      if (tasks.size() > shown) {
        b.append(" and ").append(tasks.size() - shown).append(" others");
      }
    }
    return b.toString();
  }

  /** Where a wait or hold happened: the operation's source when captured, else the resource's. */
  static String where(Edge e, Entity resource) {
    return e.source().map(s -> s.location()).orElse(resource.source().location());
  }

  /** Returns how a person names an entity, such as {@code lock 'accounts'}. */
  static String describe(Entity e) {
    if (Findings.isObserved(e)) {
      return e.name(); // the JVM's name already says what it is: monitor Account@1b6d3586
    }
    if (Findings.isFuture(e)) {
      return (e.kind() == EntityKind.ONESHOT_TX ? "completion of future '" : "future '")
          + e.name()
          + "'";
    }
    Optional<String> executor = Findings.executorOf(e);
    if (executor.isPresent()) {
      return "task of executor '" + executor.get() + "' submitted at " + e.source().location();
    }
    String label = e.body() instanceof EntityBody.Custom c ? c.customKind() : e.kind().noun();
    return label + " '" + e.name() + "'";
  }
}
