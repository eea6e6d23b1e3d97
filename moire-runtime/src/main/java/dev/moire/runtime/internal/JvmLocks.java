package dev.moire.runtime.internal;

import dev.moire.model.Edge;
import dev.moire.model.EdgeKind;
import dev.moire.model.Entity;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.PTime;
import dev.moire.model.Snapshot;
import dev.moire.model.Source;
import dev.moire.model.ThreadSnapshot;
import dev.moire.runtime.internal.JvmThread.Held;
import dev.moire.runtime.internal.JvmThread.JvmObject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * The JVM's own locks among a snapshot's threads, as graph content: for each monitor or ownable
 * synchronizer (a {@code ReentrantLock}, a write lock) that a thread of the snapshot is blocked on,
 * a {@code lock} entity marked {@code observed}, named as the JVM names the object ({@code monitor
 * Account@1b6d3586}, {@code ReentrantLock@5e2de80c}), a {@code holds} edge from its owner (with the
 * line where a monitor was taken, from its locked stack depth) and a {@code waiting_on} edge from
 * each waiter (at its first frame outside the JDK). A thread that moire does not track gets a
 * {@code thread} entity of its own for these edges. A platform {@code Thread.join} is a wait on the
 * joined thread's entity. So a cycle through {@code synchronized}, {@code ReentrantLock} and joins
 * in plain code is a cycle of the graph, whose holders the JVM names.
 *
 * <p>Read at observation time only ({@code ThreadMXBean.getThreadInfo} with locked monitors; the
 * owner of a synchronizer is its waiter's lock owner, since listing locked synchronizers walks the
 * heap), and only when some thread is blocked on a monitor or parked on a lock's {@code Sync}:
 * nothing is added to any tracked operation. Platform threads only (the JVM's thread bean does not
 * see virtual threads). Observed entities and edges carry a fixed time, so that a graph that does
 * not change reads as quiet across observations.
 */
public final class JvmLocks {
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  private static final PTime OBSERVED_AT = PTime.ofNanos(0);

  private JvmLocks() {}

  /**
   * Returns the snapshot with the JVM's locks among its platform threads added; itself when there
   * are none.
   */
  public static Snapshot addTo(Snapshot s) {
    Set<EntityId> trackedWaiters = trackedWaiters(s);
    Map<Long, ThreadSnapshot> rows = new LinkedHashMap<>();
    boolean worthALook = false;
    for (ThreadSnapshot t : s.threads()) {
      if (t.virtual() || t.state() == Thread.State.TERMINATED || t.state() == Thread.State.NEW) {
        continue;
      }
      rows.put(t.threadId(), t);
      boolean trackedWait = t.entity().map(trackedWaiters::contains).orElse(false);
      if (!trackedWait
          && (t.state() == Thread.State.BLOCKED
              || (t.state() == Thread.State.WAITING
                  && t.blocker().map(b -> isLockSync(b) || isJoin(b)).orElse(false)))) {
        worthALook = true;
      }
    }
    if (!worthALook) {
      return s;
    }
    Map<Long, String> ownerNames = new HashMap<>();
    Map<Long, JvmThread> facts = platformFacts(rows.keySet(), ownerNames);
    if (facts.isEmpty()) {
      return s;
    }
    return new Builder(s, rows, trackedWaiters, facts, ownerNames).build(facts, false);
  }

  /**
   * Returns the snapshot with the JVM's whole evidence on its threads: the virtual threads of a
   * thread dump (see {@link ThreadDump}; empty on JDK 17) that {@code belongs} accepts join its
   * thread table, and the JVM's locks among all its threads, platform and virtual, are added: the
   * monitors and locks each waits on, and every monitor each holds, waited on or not (with the line
   * where it was taken), so that stored evidence says what each thread holds. The snapshot given
   * must not have had the JVM's locks added yet.
   */
  public static Snapshot addTo(Snapshot s, List<JvmThread> dump, LongPredicate belongs) {
    Map<Long, JvmThread> everyone = new LinkedHashMap<>();
    for (JvmThread t : dump) {
      everyone.put(t.id(), t);
    }
    Map<Long, ThreadSnapshot> rows = new LinkedHashMap<>();
    List<ThreadSnapshot> threads = new ArrayList<>(s.threads());
    for (ThreadSnapshot t : s.threads()) {
      if (t.state() != Thread.State.TERMINATED && t.state() != Thread.State.NEW) {
        rows.put(t.threadId(), t);
      }
    }
    for (JvmThread t : dump) {
      if (t.virtual() && !rows.containsKey(t.id()) && belongs.test(t.id())) {
        ThreadSnapshot row = row(t, everyone);
        rows.put(t.id(), row);
        threads.add(row);
      }
    }
    Snapshot withRows =
        new Snapshot(
            s.runtime(),
            s.seq(),
            s.at(),
            s.entities(),
            s.scopes(),
            s.links(),
            s.edges(),
            s.events(),
            threads);
    Set<Long> platform = new java.util.LinkedHashSet<>();
    rows.values().stream().filter(t -> !t.virtual()).forEach(t -> platform.add(t.threadId()));
    Map<Long, String> ownerNames = new HashMap<>();
    Map<Long, JvmThread> facts = new LinkedHashMap<>(platformFacts(platform, ownerNames));
    for (ThreadSnapshot t : rows.values()) {
      JvmThread f = everyone.get(t.threadId());
      if (t.virtual() && f != null) {
        facts.put(t.threadId(), f);
      }
    }
    everyone.putAll(facts); // the thread bean knows platform threads' lock owners; the dump not
    return new Builder(withRows, rows, trackedWaiters(withRows), everyone, ownerNames)
        .build(facts, true);
  }

  /** A thread table row for a thread the dump shows and the runtime does not know. */
  private static ThreadSnapshot row(JvmThread t, Map<Long, JvmThread> everyone) {
    Optional<String> owner = Optional.empty();
    if (t.owner().isPresent() && everyone.containsKey(t.owner().getAsLong())) {
      owner = Optional.of(everyone.get(t.owner().getAsLong()).displayName());
    } else if (t.entering() && t.waitsOn().isPresent()) {
      owner = monitorOwner(t.waitsOn().get(), everyone.values()).map(JvmThread::displayName);
    }
    return new ThreadSnapshot(
        t.id(),
        t.displayName(),
        t.virtual(),
        t.state(),
        t.waitsOn().map(JvmObject::toString),
        owner,
        SourceCapture.frames(t.stack().toArray(new StackTraceElement[0]), ThreadFacts.TOP_FRAMES),
        Optional.empty());
  }

  private static Optional<JvmThread> monitorOwner(JvmObject lock, Iterable<JvmThread> threads) {
    for (JvmThread t : threads) {
      for (Held h : t.monitors()) {
        if (h.lock().equals(lock)) {
          return Optional.of(t);
        }
      }
    }
    return Optional.empty();
  }

  private static Set<EntityId> trackedWaiters(Snapshot s) {
    Set<EntityId> out = new HashSet<>();
    for (Edge e : s.edgesOfKind(EdgeKind.WAITING_ON)) {
      out.add(e.src());
    }
    return out;
  }

  /**
   * The thread bean's facts on the given platform threads, in one call; locked monitors come from
   * each stack (with the frame holding them), while locked synchronizers would cost a walk of the
   * whole heap, so their owners come from each waiter's lock owner.
   */
  private static Map<Long, JvmThread> platformFacts(
      Set<Long> threadIds, Map<Long, String> ownerNames) {
    Map<Long, JvmThread> out = new LinkedHashMap<>();
    if (threadIds.isEmpty()) {
      return out;
    }
    long[] ids = threadIds.stream().mapToLong(Long::longValue).toArray();
    try {
      for (ThreadInfo i : MX.getThreadInfo(ids, MX.isObjectMonitorUsageSupported(), false)) {
        if (i != null) {
          JvmThread t = JvmThread.of(i);
          out.put(t.id(), t);
          if (i.getLockOwnerId() >= 0 && i.getLockOwnerName() != null) {
            ownerNames.put(i.getLockOwnerId(), i.getLockOwnerName());
          }
        }
      }
    } catch (RuntimeException e) {
      out.clear(); // the JVM's evidence is a bonus; the snapshot stands without it
    }
    return out;
  }

  /** Whether a waiting thread waits on a {@code Thread} object: a platform {@code join}. */
  private static boolean isJoin(String blocker) {
    return blocker.startsWith("java.lang.Thread@");
  }

  /** Whether a parked thread's blocker is a lock's synchronizer (which has an owner). */
  private static boolean isLockSync(String blocker) {
    return blocker.contains("Sync@");
  }

  /** Whether a synchronizer class is an exclusive lock's: a waiter on it waits for an owner. */
  private static boolean isOwnableLockSync(String className) {
    return className.startsWith("java.util.concurrent.locks.ReentrantLock$")
        || className.startsWith("java.util.concurrent.locks.ReentrantReadWriteLock$");
  }

  private static final class Builder {
    final Snapshot s;
    final Map<Long, ThreadSnapshot> rows;
    final Set<EntityId> trackedWaiters;
    final Map<Long, JvmThread> everyone;
    final Map<Long, String> ownerNames;
    final String process;
    final Set<EntityId> existing = new HashSet<>();
    final Map<EntityId, Entity> added = new LinkedHashMap<>();
    final List<Edge> edges = new ArrayList<>();
    final Map<Long, EntityId> threadEntities = new HashMap<>();

    Builder(
        Snapshot s,
        Map<Long, ThreadSnapshot> rows,
        Set<EntityId> trackedWaiters,
        Map<Long, JvmThread> everyone,
        Map<Long, String> ownerNames) {
      this.s = s;
      this.ownerNames = ownerNames;
      this.rows = rows;
      this.trackedWaiters = trackedWaiters;
      this.everyone = everyone;
      this.process = s.runtime().process();
      s.entities().forEach(e -> existing.add(e.id()));
    }

    /**
     * Builds the locks and waits of the snapshot's threads, {@code facts}, and with {@code allHeld}
     * every monitor they hold as well.
     */
    Snapshot build(Map<Long, JvmThread> facts, boolean allHeld) {
      // The locks someone of the snapshot is blocked on, and who waits.
      Map<JvmObject, List<JvmThread>> waiters = new LinkedHashMap<>();
      Set<JvmObject> monitors = new HashSet<>();
      List<JvmThread> joins = new ArrayList<>();
      for (JvmThread i : facts.values()) {
        ThreadSnapshot row = rows.get(i.id());
        if (row == null
            || i.waitsOn().isEmpty()
            || row.entity().map(trackedWaiters::contains).orElse(false)) {
          continue; // a tracked wait is in the graph already
        }
        JvmObject lock = i.waitsOn().get();
        if (!i.entering()
            && i.state() == Thread.State.WAITING
            && lock.className().equals("java.lang.Thread")) {
          joins.add(i); // a platform Thread.join waits on the joined Thread's monitor
          continue;
        }
        boolean blockedOnLock =
            (i.entering() && i.state() == Thread.State.BLOCKED)
                || (i.state() == Thread.State.WAITING
                    && (i.owner().isPresent()
                        || (i.virtual() && isOwnableLockSync(lock.className()))));
        if (blockedOnLock) {
          if (i.entering()) {
            monitors.add(lock); // entering a monitor; a parked thread waits on a synchronizer
          }
          waiters.computeIfAbsent(lock, k -> new ArrayList<>()).add(i);
        }
      }
      joins(joins);
      boolean holdsAny = allHeld && facts.values().stream().anyMatch(f -> !f.monitors().isEmpty());
      if (waiters.isEmpty() && edges.isEmpty() && !holdsAny) {
        return s;
      }
      for (Map.Entry<JvmObject, List<JvmThread>> w : waiters.entrySet()) {
        JvmObject lock = w.getKey();
        Optional<Source> takenAt = Optional.empty();
        EntityId owner = null;
        for (JvmThread i : everyone.values()) {
          for (Held m : i.monitors()) {
            if (m.lock().equals(lock)) {
              owner = threadEntity(i);
              takenAt = i.takenAt(m);
            }
          }
        }
        List<JvmThread> who = w.getValue();
        JvmThread first = who.get(0);
        if (owner == null && first.owner().isPresent()) {
          // Held by a thread outside the snapshot (another test's, a pool's): the JVM names it.
          long id = first.owner().getAsLong();
          JvmThread known = everyone.get(id);
          owner =
              known != null
                  ? threadEntity(known)
                  : threadEntity(id, ownerNames.getOrDefault(id, "thread-" + id), Optional.empty());
        }
        Optional<Source> firstWait = first.waitFrame();
        boolean monitor = monitors.contains(lock);
        EntityId lockId = EntityId.of("lock:" + process + ":jvm:" + lock);
        added.put(
            lockId,
            new Entity(
                lockId,
                name(lock, monitor),
                takenAt.or(() -> firstWait).orElse(Source.UNKNOWN),
                OBSERVED_AT,
                new EntityBody.Lock(kind(lock, monitor), true)));
        if (owner != null) {
          edges.add(new Edge(owner, lockId, EdgeKind.HOLDS, false, OBSERVED_AT, takenAt));
        }
        for (JvmThread i : who) {
          edges.add(
              new Edge(
                  threadEntity(i), lockId, EdgeKind.WAITING_ON, false, OBSERVED_AT, i.waitFrame()));
        }
      }
      if (allHeld) {
        held(facts);
      }
      List<Entity> entities = new ArrayList<>(s.entities());
      for (Entity e : added.values()) {
        if (!existing.contains(e.id())) {
          entities.add(e);
        }
      }
      List<Edge> allEdges = new ArrayList<>(s.edges());
      allEdges.addAll(edges);
      List<ThreadSnapshot> threads = new ArrayList<>();
      for (ThreadSnapshot t : s.threads()) {
        EntityId e = threadEntities.get(t.threadId());
        threads.add(t.entity().isEmpty() && e != null ? t.withEntity(Optional.of(e)) : t);
      }
      return new Snapshot(
          s.runtime(),
          s.seq(),
          s.at(),
          entities,
          s.scopes(),
          s.links(),
          allEdges,
          s.events(),
          threads);
    }

    /**
     * Adds every monitor the snapshot's threads hold that no thread waits on, with a {@code holds}
     * edge from its owner at the line where it was taken.
     */
    void held(Map<Long, JvmThread> facts) {
      for (JvmThread i : facts.values()) {
        if (!rows.containsKey(i.id())) {
          continue;
        }
        for (Held m : i.monitors()) {
          EntityId lockId = EntityId.of("lock:" + process + ":jvm:" + m.lock());
          if (added.containsKey(lockId) || existing.contains(lockId)) {
            continue; // waited on: its owner's edge is drawn already
          }
          Optional<Source> takenAt = i.takenAt(m);
          added.put(
              lockId,
              new Entity(
                  lockId,
                  name(m.lock(), true),
                  takenAt.orElse(Source.UNKNOWN),
                  OBSERVED_AT,
                  new EntityBody.Lock(EntityBody.LockKind.MONITOR, true)));
          edges.add(new Edge(threadEntity(i), lockId, EdgeKind.HOLDS, false, OBSERVED_AT, takenAt));
        }
      }
    }

    /**
     * Adds a wait from each joining thread to the thread it joins, when that is a thread of the
     * snapshot (found by the identity of the {@code Thread} object the JVM says it waits on).
     */
    void joins(List<JvmThread> joins) {
      if (joins.isEmpty()) {
        return;
      }
      Map<Integer, Thread> byIdentity = new HashMap<>();
      for (Thread t : allPlatformThreads()) {
        if (rows.containsKey(ThreadFacts.threadId(t))) {
          byIdentity.put(System.identityHashCode(t), t);
        }
      }
      for (JvmThread i : joins) {
        Thread joined = byIdentity.get(i.waitsOn().get().identityHash());
        if (joined == null) {
          continue;
        }
        long tid = ThreadFacts.threadId(joined);
        EntityId target = threadEntity(tid, ThreadFacts.displayName(joined), Optional.empty());
        edges.add(
            new Edge(
                threadEntity(i), target, EdgeKind.WAITING_ON, false, OBSERVED_AT, i.userFrame()));
      }
    }

    /** The entity standing for a thread: its tracked one, or one observed for it. */
    EntityId threadEntity(JvmThread i) {
      return threadEntity(i.id(), i.displayName(), i.userFrame());
    }

    EntityId threadEntity(long tid, String name, Optional<Source> where) {
      ThreadSnapshot row = rows.get(tid);
      if (row != null && row.entity().isPresent()) {
        return row.entity().get();
      }
      return threadEntities.computeIfAbsent(
          tid,
          t -> {
            EntityId id = EntityId.of("thread:" + process + ":jvm:" + t);
            String shown = name == null || name.isBlank() ? "thread-" + t : name;
            added.put(
                id,
                new Entity(
                    id,
                    shown,
                    where.orElse(Source.UNKNOWN),
                    OBSERVED_AT,
                    new EntityBody.Thread(shown, false)));
            return id;
          });
    }
  }

  private static List<Thread> allPlatformThreads() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] threads = new Thread[root.activeCount() + 32];
    int n;
    while ((n = root.enumerate(threads, true)) == threads.length) {
      threads = new Thread[threads.length * 2];
    }
    return java.util.Arrays.asList(threads).subList(0, n);
  }

  /**
   * The JVM's name of a lock object: {@code monitor Account@1b6d3586} for a monitor, {@code
   * ReentrantLock@5e2de80c} for a lock's synchronizer (named after the lock class that owns it).
   */
  static String name(JvmObject l, boolean monitor) {
    String c = l.className();
    String simple = c.substring(c.lastIndexOf('.') + 1);
    String hex = Integer.toHexString(l.identityHash());
    if (!monitor) {
      int dollar = simple.indexOf('$');
      return (dollar > 0 ? simple.substring(0, dollar) : simple) + "@" + hex;
    }
    return "monitor " + simple + "@" + hex;
  }

  private static EntityBody.LockKind kind(JvmObject l, boolean monitor) {
    if (monitor) {
      return EntityBody.LockKind.MONITOR;
    }
    return l.className().contains("ReadWriteLock")
        ? EntityBody.LockKind.RW_LOCK
        : EntityBody.LockKind.MUTEX;
  }
}
