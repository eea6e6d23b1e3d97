package dev.moire.model.findings;

import dev.moire.model.Edge;
import dev.moire.model.EdgeKey;
import dev.moire.model.EdgeKind;
import dev.moire.model.Entity;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.EntityKind;
import dev.moire.model.Snapshot;
import dev.moire.model.ThreadSnapshot;
import dev.moire.model.internal.Checks;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The findings of a snapshot: pure, deterministic functions of it (same snapshot, same findings,
 * same order), linear in the size of the graph.
 *
 * <p>The <b>wait-for relation</b>: a task needs what it is {@code waiting_on}; a lock, semaphore or
 * once-cell needs every task that {@code holds} it; a receiver needs its paired sender, and a full
 * bounded sender its receiver; any other resource (channel endpoints, latches, notifies...) needs
 * the live tasks that hold or poll it, except those waiting on it (a consumer blocked on its
 * receiver is not what will fill it). A deadlock is a strongly connected component of this relation
 * that contains a task; all of them are reported. It is <i>certain</i> when every wait on it is
 * untimed, the JVM confirms each of its threads blocked ({@code WAITING} or {@code BLOCKED}), and
 * it runs through locks, semaphores and once-cells only, whose holders are known exactly, or, in a
 * closed world (below), through channels and other resources whose every user is in the cycle (a
 * thread holding a monitor waits on a channel whose only sender waits for that monitor); otherwise
 * it is <i>possible</i>.
 *
 * <p><b>The verdict rule: closed world, stable evidence.</b> A finding is certain only when nothing
 * moire cannot see could end the wait. A cycle through locks and once-cells closes itself: each
 * waiter's only waker is a holder that waits too. Any thread may release a semaphore's permit, and
 * anyone may hold a channel's sender or count a latch down, so a cycle through a semaphore, a lost
 * sender and a global stall are certain only in a closed {@link World}: no live thread of the JVM
 * outside the stuck ones could act (each is blocked, or provably idle). A semaphore whose permits
 * were handed over ({@code hand_off}) has uncertain holders: no certain cycle, no leaked hold. A
 * stall is also never certain while the graph contradicts a wait (a receiver waiting on a channel
 * that holds messages, a waiter on a tracked lock nobody holds, on a latch at zero): a woken thread
 * not yet scheduled. These are functions of the snapshot and the world; that the evidence is stable
 * across observations spanning the grace period is the harness's part of the rule.
 *
 * <p><b>Explanations</b> (worded by {@link Explanations}, apart from these rules) are one sentence
 * that can be read aloud, then details, and name every participant: a cycle names every holder of
 * each lock and semaphore on it and, after the cycle, every other task of its component with what
 * it waits on, then the tasks piled up behind it; a stall says, for each stuck thread, what it
 * waits on and where, who holds that (a tracked lock, semaphore, once-cell), what it holds itself,
 * and for a task whether it runs and on which thread or sits queued behind its executor's busy
 * threads. Tasks of executors are named by where they were submitted; a {@code CompletableFuture}
 * is a future, never a channel: whoever holds it may complete it, so it is never a lost sender (a
 * test stuck on one is a stall naming the future and where it was made). Every wait is placed at
 * the user's own line (see the runtime's source capture: a wait made through a method reference is
 * placed where the reference was made).
 *
 * <pre>{@code
 * List<Finding> found =
 *     Findings.analyze(snapshot, FindingSettings.defaults(), Optional.empty(), World.closed());
 * }</pre>
 */
public final class Findings {
  final Snapshot snapshot;
  private final FindingSettings settings;
  private final World world;

  /**
   * Everything known about one entity, in one place: one hash lookup per entity, not one per index,
   * which is what keeps a graph of a million edges at about a second.
   */
  static final class Node {
    final Entity entity;
    final EntityKind kind;
    final int index;
    @Nullable ThreadSnapshot thread;

    /** The first waiting_on edge, in key order. */
    @Nullable Edge wait;

    List<Need> needs = List.of();

    /** The live tasks that hold or poll it. */
    List<EntityId> users = List.of();

    /** The tasks holding or polling it whose thread has ended. */
    List<EntityId> endedUsers = List.of();

    /** paired_with edges into it. */
    List<Edge> pairedInto = List.of();

    /** For a task: its holds edges, on locks, semaphores and once-cells, in key order. */
    List<Edge> holding = List.of();

    Node(Entity entity, int index) {
      this.entity = entity;
      this.kind = entity.kind();
      this.index = index;
    }

    boolean isTask() {
      return kind.isTask();
    }

    boolean isSync() {
      return kind.isHeldExclusively();
    }

    void addNeed(Need n) {
      if (needs.isEmpty()) {
        needs = new ArrayList<>(2);
      }
      needs.add(n);
    }
  }

  final Map<EntityId, Node> nodes;
  private final Node[] byIndex;

  /** The ends of each edge of the snapshot, resolved once (null if not in the snapshot). */
  private final @Nullable Node[] srcOf;

  private final @Nullable Node[] dstOf;

  /** The waiting_on edges by key: the edges an explanation looks up. */
  final Map<EdgeKey, Edge> waits = new HashMap<>();

  /** The holds edges of observed locks by key: where their holders took them. */
  final Map<EdgeKey, Edge> holds = new HashMap<>();

  /** The words of this snapshot's findings. */
  private final Explanations words = new Explanations(this);

  /** One step of the wait-for relation, with the edge that justifies it. */
  record Need(EntityId to, EdgeKey via, String phrase, int toIndex) {}

  private Findings(Snapshot snapshot, FindingSettings settings, World world) {
    this.snapshot = snapshot;
    this.settings = settings;
    this.world = world;
    List<Entity> all = snapshot.entities();
    nodes = new HashMap<>(Math.max(16, (int) (all.size() / 0.75f) + 1));
    byIndex = new Node[all.size()];
    for (int i = 0; i < all.size(); i++) {
      Entity e = all.get(i);
      Node n = new Node(e, i);
      byIndex[i] = n;
      nodes.put(e.id(), n);
    }
    for (ThreadSnapshot t : snapshot.threads()) {
      if (t.entity().isPresent()) {
        Node n = nodes.get(t.entity().get());
        if (n != null) {
          n.thread = t;
        }
      }
    }
    List<Edge> edges = snapshot.edges();
    srcOf = new Node[edges.size()];
    dstOf = new Node[edges.size()];
    for (int i = 0; i < edges.size(); i++) {
      Edge e = edges.get(i);
      Node src = nodes.get(e.src());
      Node dst = nodes.get(e.dst());
      srcOf[i] = src;
      dstOf[i] = dst;
      switch (e.kind()) {
        case PAIRED_WITH -> {
          if (dst != null) {
            dst.pairedInto = append(dst.pairedInto, e);
          }
        }
        case WAITING_ON -> {
          waits.put(e.key(), e);
          if (src != null && src.wait == null) {
            src.wait = e;
          }
        }
        case HOLDS, POLLS -> {
          if (e.kind() == EdgeKind.HOLDS && dst != null && isObserved(dst.entity)) {
            holds.put(e.key(), e);
          }
          if (e.kind() == EdgeKind.HOLDS && src != null && dst != null && dst.isSync()) {
            src.holding = append(src.holding, e);
          }
          if (src != null && dst != null && src.isTask()) {
            if (src.thread != null && src.thread.state() == Thread.State.TERMINATED) {
              dst.endedUsers = append(dst.endedUsers, src.entity.id());
            } else {
              dst.users = append(dst.users, src.entity.id());
            }
          }
        }
      }
    }
    buildWaitFor();
  }

  private static <T> List<T> append(List<T> list, T item) {
    List<T> out = list.isEmpty() ? new ArrayList<>(2) : list;
    out.add(item);
    return out;
  }

  @Nullable Entity entity(EntityId id) {
    Node n = nodes.get(id);
    return n == null ? null : n.entity;
  }

  @Nullable Edge waitOf(EntityId task) {
    Node n = nodes.get(task);
    return n == null ? null : n.wait;
  }

  @Nullable ThreadSnapshot threadOf(EntityId task) {
    Node n = nodes.get(task);
    return n == null ? null : n.thread;
  }

  List<Need> needsOf(EntityId id) {
    Node n = nodes.get(id);
    return n == null ? List.of() : n.needs;
  }

  private List<EntityId> usersOf(EntityId id) {
    Node n = nodes.get(id);
    return n == null ? List.of() : n.users;
  }

  private List<EntityId> endedUsersOf(EntityId id) {
    Node n = nodes.get(id);
    return n == null ? List.of() : n.endedUsers;
  }

  private List<Edge> pairedInto(EntityId id) {
    Node n = nodes.get(id);
    return n == null ? List.of() : n.pairedInto;
  }

  /**
   * Returns the findings of a snapshot whose quiet time is unknown: a global stall is then only
   * {@code possible}.
   */
  public static List<Finding> analyze(Snapshot snapshot, FindingSettings settings) {
    return analyze(snapshot, settings, Optional.empty());
  }

  /**
   * Returns the findings of a snapshot, knowing how long the journal has been quiet before it was
   * cut (the watchdog knows; a stall is certain once that reaches the grace period).
   */
  public static List<Finding> analyze(
      Snapshot snapshot, FindingSettings settings, Optional<Duration> quietFor) {
    return analyze(snapshot, settings, quietFor, World.unknown());
  }

  /**
   * Returns the findings of a snapshot, knowing how long the journal has been quiet before it was
   * cut and what the rest of the JVM was doing (the watchdog knows both): the verdict rule's
   * evidence.
   */
  public static List<Finding> analyze(
      Snapshot snapshot, FindingSettings settings, Optional<Duration> quietFor, World world) {
    Checks.notNull(snapshot, "snapshot");
    Checks.notNull(settings, "settings");
    Checks.notNull(quietFor, "quietFor");
    Checks.notNull(world, "world");
    Findings f = new Findings(snapshot, settings, world);
    List<Finding> out = new ArrayList<>();
    f.deadlocks(out);
    f.globalStall(out, quietFor);
    f.lostSenders(out);
    f.danglingReceivers(out);
    f.leakedHolds(out);
    f.longWaitsAndHolds(out);
    // Each sort key is computed once, not at every comparison.
    Map<Finding, String> keys = new java.util.IdentityHashMap<>();
    for (Finding x : out) {
      keys.put(x, x.entities().toString());
    }
    out.sort(
        Comparator.comparing(Finding::kind)
            .thenComparing(Finding::certainty)
            .thenComparing(keys::get));
    return List.copyOf(out);
  }

  // ---- the wait-for relation ----

  static boolean isTask(Entity e) {
    return e.kind().isTask();
  }

  /** Returns whether the JVM says the task's thread has ended. */
  private boolean hasEnded(EntityId task) {
    ThreadSnapshot t = threadOf(task);
    return t != null && t.state() == Thread.State.TERMINATED;
  }

  static boolean isSync(Entity e) {
    return e.kind().isHeldExclusively();
  }

  private static void need(Node from, Node to, EdgeKey via, String phrase) {
    from.addNeed(new Need(to.entity.id(), via, phrase, to.index));
  }

  /** Builds the wait-for relation in one pass over the edges (the indexes are built already). */
  private void buildWaitFor() {
    List<Edge> edges = snapshot.edges();
    for (int i = 0; i < edges.size(); i++) {
      Edge e = edges.get(i);
      Node src = srcOf[i];
      Node dst = dstOf[i];
      if (src == null || dst == null) {
        continue;
      }
      switch (e.kind()) {
        case WAITING_ON -> need(src, dst, e.key(), "waits on");
        case PAIRED_WITH -> {
          if (dst.kind.isReceiver() && src.kind.isSender()) {
            need(dst, src, e.key(), "whose sender is");
          }
          if (src.entity.body() instanceof EntityBody.MpscTx tx
              && tx.capacity().isPresent()
              && tx.queueLen() >= tx.capacity().getAsInt()) {
            need(src, dst, e.key(), "which is full and is drained only through");
          }
        }
        case HOLDS, POLLS -> {
          if (dst.isTask() || !src.isTask()) {
            break;
          }
          if (dst.isSync()) {
            if (e.kind() == EdgeKind.HOLDS) {
              need(dst, src, e.key(), "held by");
            }
          } else if (src.wait == null
              || !waits.containsKey(
                  new EdgeKey(src.entity.id(), dst.entity.id(), EdgeKind.WAITING_ON))) {
            need(dst, src, e.key(), e.kind() == EdgeKind.HOLDS ? "held by" : "used by");
          }
        }
      }
    }
    // Sorted once, so every walk of the relation is deterministic.
    Comparator<Need> order = Comparator.comparing(Need::to).thenComparing(Need::via);
    for (Node n : byIndex) {
      if (n.needs.size() > 1) {
        n.needs.sort(order);
      }
    }
  }

  // ---- deadlock cycles ----

  private void deadlocks(List<Finding> out) {
    for (List<EntityId> scc : stronglyConnectedComponents()) {
      Set<EntityId> members = new HashSet<>(scc);
      boolean hasTask = scc.stream().anyMatch(id -> isTask(entity(id)));
      boolean cyclic =
          scc.size() > 1 || needsOf(scc.get(0)).stream().anyMatch(n -> n.to().equals(scc.get(0)));
      if (!hasTask || !cyclic) {
        continue;
      }
      EntityId start =
          scc.stream().filter(id -> isTask(entity(id))).min(Comparator.naturalOrder()).get();
      List<Need> cycle = shortestCycle(start, members);
      boolean certain = true;
      List<EdgeKey> edges = new ArrayList<>();
      for (EntityId id : scc) {
        Entity e = entity(id);
        if (isTask(e)) {
          ThreadSnapshot t = threadOf(id);
          if (t == null || !t.isBlocked()) {
            certain = false;
          }
        } else if (!isSync(e)) {
          // A channel, latch or other resource: anyone may send, count down or signal it, so the
          // cycle is certain only when nothing outside it can act, every task it needs is in the
          // cycle and was seen using it (a handle made by one thread may be used by another, so
          // holding is not enough), and its own state does not say a waiter was already woken.
          if (!world.isClosed()
              || !usedOnlyWithin(id, members)
              || (waitedOnBy(id, members) && contradiction(e).isPresent())) {
            certain = false;
          }
        } else if (e.kind() == EntityKind.SEMAPHORE
            && (!world.isClosed()
                || !semaphoreHoldersKnown(e)
                || needsOf(id).stream().anyMatch(n -> !members.contains(n.to())))) {
          // Any thread may release a permit, held or not: certain only when nothing else can act,
          // the holders are exact, and none is outside the cycle.
          certain = false;
        }
      }
      for (Need n : cycle) {
        edges.add(n.via());
        if (n.via().kind() == EdgeKind.WAITING_ON && edgeOf(n.via()).timed()) {
          certain = false;
        }
      }
      List<EntityId> walked = new ArrayList<>();
      walked.add(start);
      for (Need n : cycle.subList(0, cycle.size() - 1)) {
        walked.add(n.to());
      }
      out.add(
          new Finding(
              FindingKind.DEADLOCK_CYCLE,
              certain ? Certainty.CERTAIN : Certainty.POSSIBLE,
              walked,
              edges,
              words.cycle(start, cycle, members) + words.pileUp(members)));
    }
  }

  /**
   * Whether every need of a resource is inside {@code members} and every task it needs was seen
   * using it (a {@code polls} edge), not only holding it.
   */
  private boolean usedOnlyWithin(EntityId resource, Set<EntityId> members) {
    List<Need> needs = needsOf(resource);
    if (needs.isEmpty()) {
      return false;
    }
    for (Need n : needs) {
      if (!members.contains(n.to())) {
        return false;
      }
      Entity to = entity(n.to());
      if (to != null
          && isTask(to)
          && needs.stream()
              .noneMatch(m -> m.to().equals(n.to()) && m.via().kind() == EdgeKind.POLLS)) {
        return false;
      }
    }
    return true;
  }

  /** Whether a task among {@code members} waits on the resource. */
  private boolean waitedOnBy(EntityId resource, Set<EntityId> members) {
    for (EntityId m : members) {
      Edge w = waitOf(m);
      if (w != null && w.dst().equals(resource)) {
        return true;
      }
    }
    return false;
  }

  /** The shortest path of needs from {@code start} back to itself, inside {@code members}. */
  private List<Need> shortestCycle(EntityId start, Set<EntityId> members) {
    Map<EntityId, Need> cameBy = new HashMap<>();
    Map<EntityId, EntityId> parent = new HashMap<>();
    ArrayDeque<EntityId> queue = new ArrayDeque<>();
    queue.add(start);
    Set<EntityId> seen = new HashSet<>();
    seen.add(start);
    Need closing = null;
    EntityId closingFrom = null;
    while (!queue.isEmpty() && closing == null) {
      EntityId at = queue.poll();
      for (Need n : sortedNeeds(at)) {
        if (!members.contains(n.to())) {
          continue;
        }
        if (n.to().equals(start)) {
          closing = n;
          closingFrom = at;
          break;
        }
        if (seen.add(n.to())) {
          cameBy.put(n.to(), n);
          parent.put(n.to(), at);
          queue.add(n.to());
        }
      }
    }
    List<Need> path = new ArrayList<>();
    path.add(closing);
    for (EntityId at = closingFrom; !at.equals(start); at = parent.get(at)) {
      path.add(cameBy.get(at));
    }
    java.util.Collections.reverse(path);
    return path;
  }

  private List<Need> sortedNeeds(EntityId id) {
    return needsOf(id);
  }

  /** Tarjan's algorithm, iteratively, over int indices; components in a deterministic order. */
  private List<List<EntityId>> stronglyConnectedComponents() {
    int size = byIndex.length;
    int[][] next = new int[size][];
    int[] none = new int[0];
    for (int i = 0; i < size; i++) {
      List<Need> list = byIndex[i].needs;
      if (list.isEmpty()) {
        next[i] = none;
        continue;
      }
      int[] to = new int[list.size()];
      int k = 0;
      for (Need n : list) {
        to[k++] = n.toIndex();
      }
      next[i] = to;
    }
    int[] index = new int[size];
    int[] low = new int[size];
    boolean[] onStack = new boolean[size];
    Arrays.fill(index, -1);
    int[] stack = new int[size];
    int top = 0;
    int[] workNode = new int[size];
    int[] workPos = new int[size];
    int counter = 0;
    List<List<EntityId>> out = new ArrayList<>();
    for (int root = 0; root < size; root++) {
      if (index[root] >= 0) {
        continue;
      }
      if (next[root].length == 0) {
        index[root] = counter++; // needs nothing: a component of its own, and no cycle
        continue;
      }
      int depth = 0;
      workNode[0] = root;
      workPos[0] = 0;
      index[root] = low[root] = counter++;
      stack[top++] = root;
      onStack[root] = true;
      while (depth >= 0) {
        int v = workNode[depth];
        if (workPos[depth] < next[v].length) {
          int w = next[v][workPos[depth]++];
          if (index[w] < 0) {
            index[w] = low[w] = counter++;
            stack[top++] = w;
            onStack[w] = true;
            depth++;
            workNode[depth] = w;
            workPos[depth] = 0;
          } else if (onStack[w]) {
            low[v] = Math.min(low[v], index[w]);
          }
        } else {
          depth--;
          if (depth >= 0) {
            int parent = workNode[depth];
            low[parent] = Math.min(low[parent], low[v]);
          }
          if (low[v] == index[v]) {
            List<EntityId> component = new ArrayList<>();
            int w;
            do {
              w = stack[--top];
              onStack[w] = false;
              component.add(byIndex[w].entity.id());
            } while (w != v);
            // A single node is a component worth reporting only if it needs itself.
            if (component.size() > 1 || selfLoop(next[v], v)) {
              component.sort(null);
              out.add(component);
            }
          }
        }
      }
    }
    return out;
  }

  private static boolean selfLoop(int[] next, int v) {
    for (int w : next) {
      if (w == v) {
        return true;
      }
    }
    return false;
  }

  // ---- the other findings ----

  /**
   * Every thread of the test is blocked. Certain only under the verdict rule: the journal has been
   * quiet for the grace period, the world outside the stuck threads is closed (see {@link World}),
   * and the graph contradicts none of the waits (a receiver waiting on a channel that holds
   * messages, a waiter on a lock nobody holds, on a latch at zero, on a semaphore with every permit
   * free: each is a thread woken and not yet scheduled). Otherwise possible, saying why.
   */
  private void globalStall(List<Finding> out, Optional<Duration> quietFor) {
    List<ThreadSnapshot> threads =
        snapshot.threads().stream().filter(t -> t.state() != Thread.State.NEW).toList();
    if (threads.isEmpty()) {
      return;
    }
    boolean anyBlocked = false;
    for (ThreadSnapshot t : threads) {
      if (t.isBlocked()) {
        anyBlocked = true;
      } else if (t.state() != Thread.State.TERMINATED) {
        return; // one running (or timed-waiting) thread rules a stall out
      }
    }
    if (!anyBlocked) {
      return;
    }
    boolean quiet = quietFor.isPresent() && quietFor.get().compareTo(settings.stallGrace()) >= 0;
    List<String> doubts = new ArrayList<>();
    List<String> parts = new ArrayList<>();
    List<EntityId> involved = new ArrayList<>();
    List<EdgeKey> edges = new ArrayList<>();
    for (ThreadSnapshot t : threads) {
      if (!t.isBlocked()) {
        continue;
      }
      StringBuilder b = new StringBuilder("'").append(t.name()).append("' ");
      Entity running = t.entity().map(this::entity).orElse(null);
      if (running != null && executorOf(running).isPresent()) {
        b.append("(running ").append(describe(running)).append(") ");
      }
      b.append(t.state());
      Optional<Edge> wait = t.entity().flatMap(id -> Optional.ofNullable(waitOf(id)));
      if (wait.isPresent()) {
        Entity r = entity(wait.get().dst());
        boolean join = r != null && r.kind() == EntityKind.THREAD;
        b.append(join ? " waiting for " : " waiting on ")
            .append(describe(r))
            .append(join ? words.startedAt(r) + " to end (" : " (")
            .append(Explanations.where(wait.get(), r))
            .append(')')
            .append(words.aboutWaitedOn(r));
        involved.add(wait.get().src());
        edges.add(wait.get().key());
        contradiction(r).ifPresent(doubts::add);
      } else {
        b.append(" outside moire");
        t.blocker().ifPresent(x -> b.append(" on ").append(x));
        t.lockOwner().ifPresent(x -> b.append(" held by '").append(x).append('\''));
        Explanations.meaningfulFrame(t)
            .ifPresent(
                f -> {
                  b.append(" in ").append(Explanations.simpleName(f.className())).append('.');
                  b.append(f.method())
                      .append(" (")
                      .append(Explanations.userLocation(t, f))
                      .append(')');
                });
        if (!t.notifiedAt().isEmpty()) {
          // moire-agent saw the object notified: before this wait began, or for another waiter
          b.append(", notified ").append(Explanations.sites(t.notifiedAt()));
        }
        t.entity().ifPresent(involved::add);
      }
      t.entity().ifPresent(id -> b.append(words.holdings(id)));
      parts.add(b.toString());
    }
    if (!world.isClosed()) {
      doubts.add(world.whyOpen());
    }
    boolean certain = quiet && doubts.isEmpty();
    String explanation =
        "every thread of the test is blocked"
            + (certain ? " and nothing has moved for " + quietFor.get().toMillis() + " ms" : "")
            + ": "
            + String.join("; ", parts);
    if (!certain && !doubts.isEmpty()) {
      explanation += " (not certain: " + String.join("; ", doubts) + ")";
    }
    out.add(
        new Finding(
            FindingKind.GLOBAL_STALL,
            certain ? Certainty.CERTAIN : Certainty.POSSIBLE,
            involved,
            edges,
            explanation));
  }

  /** The executor a task was submitted to, if it was. */
  static Optional<String> executorOf(Entity e) {
    return e.body() instanceof EntityBody.Future f ? f.executor() : Optional.empty();
  }

  /**
   * Whether the entity is a future's end (a {@code CompletableFuture}), not a oneshot channel's.
   */
  static boolean isFuture(Entity e) {
    return (e.body() instanceof EntityBody.OneshotRx rx && rx.future())
        || (e.body() instanceof EntityBody.OneshotTx tx && tx.future());
  }

  /**
   * Returns what in the graph contradicts a wait on {@code r}, if anything: a waiter that the
   * resource's own state says should be running (woken, not yet scheduled).
   */
  private Optional<String> contradiction(@Nullable Entity r) {
    if (r == null) {
      return Optional.empty();
    }
    switch (r.kind()) {
      case MPSC_RX -> {
        for (Edge p : pairedInto(r.id())) {
          Entity tx = entity(p.src());
          if (tx != null && tx.body() instanceof EntityBody.MpscTx body && body.queueLen() > 0) {
            return Optional.of(
                describe(r)
                    + " is waited on although its channel holds "
                    + body.queueLen()
                    + " messages");
          }
        }
      }
      case LOCK -> {
        Node n = nodes.get(r.id());
        // A lock the JVM showed without an owner is one whose owner it does not name (a
        // ReentrantLock among virtual threads), not one nobody holds.
        if (n != null
            && !isObserved(r)
            && n.needs.stream().noneMatch(x -> x.via().kind() == EdgeKind.HOLDS)) {
          return Optional.of(describe(r) + " is waited on although nobody holds it");
        }
      }
      case LATCH -> {
        if (r.body() instanceof EntityBody.Latch l && l.count() == 0) {
          return Optional.of(describe(r) + " is waited on although its count is 0");
        }
      }
      case SEMAPHORE -> {
        if (r.body() instanceof EntityBody.Semaphore sem
            && sem.handedOutPermits() == 0
            && sem.maxPermits() > 0) {
          return Optional.of(describe(r) + " is waited on although no permit is out");
        }
      }
      default -> {}
    }
    return Optional.empty();
  }

  /** Returns whether the entity is a lock the JVM showed (a monitor, a plain ReentrantLock). */
  static boolean isObserved(@Nullable Entity e) {
    return e != null && e.body() instanceof EntityBody.Lock l && l.observed();
  }

  /** Returns whether the entity is a monitor the JVM showed. */
  static boolean isObservedMonitor(@Nullable Entity e) {
    return e != null
        && e.body() instanceof EntityBody.Lock l
        && l.observed()
        && l.lockKind() == EntityBody.LockKind.MONITOR;
  }

  /** Returns whether a semaphore's holds edges name its holders exactly. */
  private static boolean semaphoreHoldersKnown(Entity e) {
    return !(e.body() instanceof EntityBody.Semaphore sem) || sem.holdersKnown();
  }

  /**
   * A task waits on a receiver whose sender is open, but no live task that could send holds or
   * polls the sender: the tasks waiting on the receiver cannot send while they wait. Certain when
   * the wait is untimed and every other thread of the snapshot has ended (a live thread, even a
   * blocked one, may hold the sender unseen and send later); otherwise possible.
   */
  private void lostSenders(List<Finding> out) {
    for (Edge w : snapshot.edgesOfKind(EdgeKind.WAITING_ON)) {
      Entity rx = entity(w.dst());
      Entity task = entity(w.src());
      if (rx == null || task == null || !rx.kind().isReceiver() || isFuture(rx)) {
        continue; // anyone holding a future may complete it: never a lost sender
      }
      for (Edge p : pairedInto(rx.id())) {
        Entity tx = entity(p.src());
        if (tx == null || !tx.kind().isSender()) {
          continue;
        }
        List<EntityId> users = usersOf(tx.id());
        boolean moved = false;
        for (EntityId user : users) {
          Edge userWait = waitOf(user);
          if (userWait == null || !userWait.dst().equals(rx.id())) {
            moved = true;
          }
        }
        if (moved) {
          continue;
        }
        List<EntityId> endedUsers = endedUsersOf(tx.id()).stream().distinct().toList();
        String who =
            endedUsers.isEmpty()
                ? "is open and held or used by no live task that could send: whoever had it ended, or"
                    + " dropped it, without closing it"
                : "is open, and held or used only by "
                    + endedUsers.stream()
                        .map(id -> describe(entity(id)))
                        .collect(java.util.stream.Collectors.joining(", "))
                    + (endedUsers.size() == 1 ? ", which has" : ", which have")
                    + " ended without closing it";
        if (!users.isEmpty()) {
          who +=
              " (the only live "
                  + (users.size() == 1 ? "task that has it waits" : "tasks that have it wait")
                  + " on the receiver)";
        }
        List<EntityId> involved = new ArrayList<>(List.of(task.id(), rx.id(), tx.id()));
        involved.addAll(endedUsers);
        boolean certain = !w.timed() && noOtherThreadLives(rx.id()) && world.isClosed();
        out.add(
            new Finding(
                FindingKind.LOST_SENDER,
                certain ? Certainty.CERTAIN : Certainty.POSSIBLE,
                involved,
                List.of(w.key(), p.key()),
                describe(task)
                    + " waits on "
                    + describe(rx)
                    + " ("
                    + Explanations.where(w, rx)
                    + "), but its "
                    + describe(tx)
                    + " (created at "
                    + tx.source().location()
                    + ") "
                    + who));
      }
    }
  }

  /**
   * Returns whether every other thread of the snapshot has ended: a live thread, even a blocked
   * one, may hold the sender without moire knowing (a captured reference it has not used yet), and
   * send once it is unblocked.
   */
  private boolean noOtherThreadLives(EntityId rx) {
    for (ThreadSnapshot t : snapshot.threads()) {
      if (t.state() == Thread.State.TERMINATED) {
        continue;
      }
      boolean waitsOnRx = t.entity().map(this::waitOf).map(e -> e.dst().equals(rx)).orElse(false);
      if (!waitsOnRx) {
        return false;
      }
    }
    return true;
  }

  /**
   * A receiver whose channel closed and that was itself left open. Never a future's: a completed
   * future needs no closing, and its waiting side lives until the future is collected.
   */
  private void danglingReceivers(List<Finding> out) {
    for (Node node : byIndex) {
      if (!node.kind.isReceiver() || isFuture(node.entity)) {
        continue;
      }
      Entity rx = node.entity;
      boolean paired = false;
      for (Edge p : node.pairedInto) {
        Node tx = nodes.get(p.src());
        if (tx != null && tx.kind.isSender()) {
          paired = true;
          break;
        }
      }
      if (!paired) {
        out.add(
            new Finding(
                FindingKind.DANGLING_RECEIVER,
                Certainty.WARNING,
                List.of(rx.id()),
                List.of(),
                describe(rx)
                    + " (created at "
                    + rx.source().location()
                    + ") has no sender left: it was never closed after its channel closed"));
      }
    }
  }

  private void leakedHolds(List<Finding> out) {
    for (Edge h : snapshot.edgesOfKind(EdgeKind.HOLDS)) {
      Entity r = entity(h.dst());
      Entity task = entity(h.src());
      if (r == null || task == null || !isSync(r) || !semaphoreHoldersKnown(r) || isObserved(r)) {
        continue; // after a hand-off, a holds edge may name a task that holds nothing
      }
      ThreadSnapshot t = threadOf(task.id());
      boolean holderEnded = t != null && t.state() == Thread.State.TERMINATED;
      if (holderEnded || settings.testEnded()) {
        out.add(
            new Finding(
                FindingKind.LEAKED_HOLD,
                Certainty.WARNING,
                List.of(task.id(), r.id()),
                List.of(h.key()),
                describe(task)
                    + " still holds "
                    + describe(r)
                    + " ("
                    + r.source().location()
                    + ") although "
                    + (holderEnded ? "it has ended" : "the test has ended")));
      }
    }
  }

  private void longWaitsAndHolds(List<Finding> out) {
    for (Edge e : snapshot.edges()) {
      boolean wait = e.kind() == EdgeKind.WAITING_ON;
      boolean hold =
          e.kind() == EdgeKind.HOLDS && nodes.containsKey(e.dst()) && isSync(entity(e.dst()));
      if (!wait && !hold) {
        continue;
      }
      Duration age = snapshot.at().since(e.since());
      Duration limit = wait ? settings.longWait() : settings.longHold();
      if (age.compareTo(limit) <= 0) {
        continue;
      }
      Entity task = entity(e.src());
      Entity r = entity(e.dst());
      if (task == null || r == null || isObserved(r)) {
        continue; // an observed lock's edges carry no time of their own
      }
      out.add(
          new Finding(
              wait ? FindingKind.LONG_WAIT : FindingKind.LONG_HOLD,
              Certainty.WARNING,
              List.of(task.id(), r.id()),
              List.of(e.key()),
              describe(task)
                  + (wait ? " has waited on " : " has held ")
                  + describe(r)
                  + " ("
                  + Explanations.where(e, r)
                  + ") for "
                  + age.toMillis()
                  + " ms"));
    }
  }

  Edge edgeOf(EdgeKey key) {
    Edge e = waits.get(key);
    if (e == null) {
      throw new IllegalStateException("no edge " + key);
    }
    return e;
  }

  /** Returns how a person names an entity, such as {@code lock 'accounts'}. */
  public static String describe(Entity e) {
    return Explanations.describe(e);
  }

  /**
   * Returns where an operation was done and by whom, as explanations say it: {@code at
   * Warmer.java:30 by thread 'a' and thread 'b'}.
   */
  public static String describe(List<dev.moire.model.OperationSite> sites) {
    return Explanations.sites(sites);
  }
}
