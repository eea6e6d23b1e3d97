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
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
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
   * Returns the snapshot with the JVM's locks among its threads added; itself when there are none.
   */
  public static Snapshot addTo(Snapshot s) {
    Set<EntityId> trackedWaiters = new HashSet<>();
    for (Edge e : s.edgesOfKind(EdgeKind.WAITING_ON)) {
      trackedWaiters.add(e.src());
    }
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
    long[] ids = rows.keySet().stream().mapToLong(Long::longValue).toArray();
    ThreadInfo[] infos;
    try {
      // Locked monitors come from each stack (with the frame holding them); locked synchronizers
      // would cost a walk of the whole heap, so their owners come from each waiter's lock owner.
      infos = MX.getThreadInfo(ids, MX.isObjectMonitorUsageSupported(), false);
    } catch (RuntimeException e) {
      return s; // the JVM's evidence is a bonus; the snapshot stands without it
    }
    return new Builder(s, rows, trackedWaiters).build(infos);
  }

  /** Whether a waiting thread waits on a {@code Thread} object: a platform {@code join}. */
  private static boolean isJoin(String blocker) {
    return blocker.startsWith("java.lang.Thread@");
  }

  /** Whether a parked thread's blocker is a lock's synchronizer (which has an owner). */
  private static boolean isLockSync(String blocker) {
    return blocker.contains("Sync@");
  }

  private static final class Builder {
    final Snapshot s;
    final Map<Long, ThreadSnapshot> rows;
    final Set<EntityId> trackedWaiters;
    final String process;
    final Set<EntityId> existing = new HashSet<>();
    final Map<EntityId, Entity> added = new LinkedHashMap<>();
    final List<Edge> edges = new ArrayList<>();
    final Map<Long, EntityId> threadEntities = new HashMap<>();

    Builder(Snapshot s, Map<Long, ThreadSnapshot> rows, Set<EntityId> trackedWaiters) {
      this.s = s;
      this.rows = rows;
      this.trackedWaiters = trackedWaiters;
      this.process = s.runtime().process();
      s.entities().forEach(e -> existing.add(e.id()));
    }

    Snapshot build(ThreadInfo[] infos) {
      Map<Long, ThreadInfo> byId = new HashMap<>();
      for (ThreadInfo i : infos) {
        if (i != null) {
          byId.put(i.getThreadId(), i);
        }
      }
      // The locks someone of the snapshot is blocked on, and who waits.
      Map<String, LockInfo> waitedOn = new LinkedHashMap<>();
      Set<String> monitors = new HashSet<>();
      List<ThreadInfo> joins = new ArrayList<>();
      Map<String, List<ThreadInfo>> waiters = new HashMap<>();
      for (ThreadInfo i : byId.values()) {
        ThreadSnapshot row = rows.get(i.getThreadId());
        if (row == null || row.entity().map(trackedWaiters::contains).orElse(false)) {
          continue; // a tracked wait is in the graph already
        }
        LockInfo lock = i.getLockInfo();
        boolean blockedOnLock =
            lock != null
                && (i.getThreadState() == Thread.State.BLOCKED
                    || (i.getThreadState() == Thread.State.WAITING && i.getLockOwnerId() >= 0));
        if (lock != null
            && i.getThreadState() == Thread.State.WAITING
            && lock.getClassName().equals("java.lang.Thread")) {
          joins.add(i); // a platform Thread.join waits on the joined Thread's monitor
          continue;
        }
        if (blockedOnLock) {
          if (i.getThreadState() == Thread.State.BLOCKED) {
            monitors.add(key(lock)); // entering a monitor; a parked thread waits on a synchronizer
          }
          waitedOn.putIfAbsent(key(lock), lock);
          waiters.computeIfAbsent(key(lock), k -> new ArrayList<>()).add(i);
        }
      }
      joins(joins);
      if (waitedOn.isEmpty() && edges.isEmpty()) {
        return s;
      }
      for (Map.Entry<String, LockInfo> w : waitedOn.entrySet()) {
        LockInfo lock = w.getValue();
        Optional<Source> takenAt = Optional.empty();
        EntityId owner = null;
        for (ThreadInfo i : byId.values()) {
          for (MonitorInfo m : i.getLockedMonitors()) {
            if (key(m).equals(w.getKey())) {
              owner = threadEntity(i);
              takenAt = Optional.ofNullable(m.getLockedStackFrame()).map(JvmLocks::source);
            }
          }
        }
        List<ThreadInfo> who = waiters.get(w.getKey());
        ThreadInfo first = who.get(0);
        if (owner == null && first.getLockOwnerId() >= 0) {
          // Held by a thread outside the snapshot (another test's, a pool's): the JVM names it.
          owner = threadEntity(first.getLockOwnerId(), first.getLockOwnerName(), Optional.empty());
        }
        Optional<Source> firstWait = userFrame(first);
        boolean monitor = monitors.contains(w.getKey());
        EntityId lockId =
            EntityId.of("lock:" + process + ":jvm:" + lock.getClassName() + "@" + hex(lock));
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
        for (ThreadInfo i : who) {
          edges.add(
              new Edge(
                  threadEntity(i), lockId, EdgeKind.WAITING_ON, false, OBSERVED_AT, userFrame(i)));
        }
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
     * Adds a wait from each joining thread to the thread it joins, when that is a thread of the
     * snapshot (found by the identity of the {@code Thread} object the JVM says it waits on).
     */
    void joins(List<ThreadInfo> joins) {
      if (joins.isEmpty()) {
        return;
      }
      Map<Integer, Thread> byIdentity = new HashMap<>();
      for (Thread t : allPlatformThreads()) {
        if (rows.containsKey(ThreadFacts.threadId(t))) {
          byIdentity.put(System.identityHashCode(t), t);
        }
      }
      for (ThreadInfo i : joins) {
        Thread joined = byIdentity.get(i.getLockInfo().getIdentityHashCode());
        if (joined == null) {
          continue;
        }
        long tid = ThreadFacts.threadId(joined);
        EntityId target = threadEntity(tid, ThreadFacts.displayName(joined), Optional.empty());
        edges.add(
            new Edge(
                threadEntity(i), target, EdgeKind.WAITING_ON, false, OBSERVED_AT, userFrame(i)));
      }
    }

    /** The entity standing for a thread: its tracked one, or one observed for it. */
    EntityId threadEntity(ThreadInfo i) {
      return threadEntity(i.getThreadId(), i.getThreadName(), userFrame(i));
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

  private static String key(LockInfo l) {
    return l.getClassName() + "@" + hex(l);
  }

  private static String hex(LockInfo l) {
    return Integer.toHexString(l.getIdentityHashCode());
  }

  /**
   * The JVM's name of a lock object: {@code monitor Account@1b6d3586} for a monitor, {@code
   * ReentrantLock@5e2de80c} for a lock's synchronizer (named after the lock class that owns it).
   */
  static String name(LockInfo l, boolean monitor) {
    String c = l.getClassName();
    String simple = c.substring(c.lastIndexOf('.') + 1);
    if (!monitor) {
      int dollar = simple.indexOf('$');
      return (dollar > 0 ? simple.substring(0, dollar) : simple) + "@" + hex(l);
    }
    return "monitor " + simple + "@" + hex(l);
  }

  private static EntityBody.LockKind kind(LockInfo l, boolean monitor) {
    if (monitor) {
      return EntityBody.LockKind.MONITOR;
    }
    return l.getClassName().contains("ReadWriteLock")
        ? EntityBody.LockKind.RW_LOCK
        : EntityBody.LockKind.MUTEX;
  }

  /** The first frame of the thread outside the JDK and moire: where the user's code waits. */
  private static Optional<Source> userFrame(ThreadInfo i) {
    for (StackTraceElement f : i.getStackTrace()) {
      String c = f.getClassName();
      if (!c.startsWith("java.")
          && !c.startsWith("jdk.")
          && !c.startsWith("sun.")
          && !c.startsWith("dev.moire.runtime.")) {
        return Optional.of(source(f));
      }
    }
    return Optional.empty();
  }

  private static Source source(StackTraceElement f) {
    return SourceCapture.frames(new StackTraceElement[] {f}, 1).get(0);
  }
}
