package dev.moire.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.sync.TrackedLock;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs a short profile of every benchmark and prints one table: each figure, its raw-JDK
 * counterpart measured in the same run, the ratio and the target. {@code --latency} measures only
 * the detection latency. {@code --quick} shortens the runs further (for a smoke test of the
 * harness, not for numbers).
 */
public final class BenchmarkTable {
  private BenchmarkTable() {}

  private record Row(
      String what, String moire, String raw, String ratio, String target, String verdict) {}

  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    List<Integer> threads = threadCounts(args);
    if (List.of(args).contains("--scaling")) {
      // Only the scaling table (issue 18): at the given thread counts, e.g. --threads 1,2,4,8,16.
      List<Row> rows = new ArrayList<>();
      scaling(rows, threads, quick);
      print(render(rows, quick));
      return;
    }
    if (List.of(args).contains("--agent")) {
      // Only the agent's table (issue 17): the plain-JDK workload without, disabled, tracked.
      List<Row> rows = new ArrayList<>();
      agent(rows, threads, quick);
      print(render(rows, quick));
      return;
    }
    if (List.of(args).contains("--latency")) {
      // Only the detection latency (seconds, not minutes): after a change to the verdict rule.
      List<Long> latencies = detectionLatencies(21);
      System.out.println(
          "detection latency, lock-order deadlock, defaults: median "
              + latencies.get(latencies.size() / 2)
              + " ms of 21 runs "
              + latencies);
      return;
    }
    Map<String, RunResult> r = runJmh(quick);
    List<Row> rows = new ArrayList<>();
    ratio(
        rows, r, "uncontended lock/unlock (ns/op)", "lock_tracked", "lock_raw", false, 2.0, "≤ 2×");
    ratio(
        rows,
        r,
        "  observed every 10 ms, as in a test",
        "lock_trackedObserved",
        "lock_raw",
        false,
        2.0,
        "≤ 2×");
    ratio(rows, r, "  disabled", "lock_disabled", "lock_raw", false, 1.05, "within 5%");
    ratio(
        rows,
        r,
        "contended lock/unlock, 2 threads (ns/op)",
        "contendedLock_tracked",
        "contendedLock_raw",
        false,
        0,
        "");
    ratio(
        rows,
        r,
        "  disabled",
        "contendedLock_disabled",
        "contendedLock_raw",
        false,
        1.05,
        "within 5%");
    ratio(
        rows,
        r,
        "semaphore acquire/release (ns/op)",
        "semaphore_tracked",
        "semaphore_raw",
        false,
        0,
        "");
    ratio(rows, r, "  disabled", "semaphore_disabled", "semaphore_raw", false, 1.05, "within 5%");
    for (String[] d :
        new String[][] {
          {"latch", "latch life: create, count down, await (ns)"},
          {"future", "CompletableFuture life: create, complete, join (ns)"},
          {"abq", "ArrayBlockingQueue offer + poll (ns)"},
          {"lbq", "LinkedBlockingQueue offer + poll (ns)"},
          {"lbd", "LinkedBlockingDeque offer + poll (ns)"},
          {"tbq", "TrackedBlockingQueue (bounded) vs ArrayBlockingQueue offer + poll (ns)"},
          {"barrier", "CyclicBarrier of one, await (ns)"}
        }) {
      ratio(rows, r, d[1], d[0] + "_tracked", d[0] + "_raw", false, 0, "");
      ratio(rows, r, "  disabled", d[0] + "_disabled", d[0] + "_raw", false, 1.05, "within 5%");
    }
    ratio(
        rows,
        r,
        "SPSC mpsc vs ArrayBlockingQueue (msgs/µs)",
        "spsc_mpsc_tracked",
        "spsc_abq_raw",
        true,
        1 / 3.0,
        "≥ ⅓");
    ratio(rows, r, "  disabled", "spsc_mpsc_disabled", "spsc_abq_raw", true, 0, "");
    ratio(
        rows,
        r,
        "SPSC TrackedBlockingQueue (msgs/µs)",
        "spsc_tbq_tracked",
        "spsc_abq_raw",
        true,
        0,
        "");
    ratio(
        rows,
        r,
        "MPMC TrackedBlockingQueue, 2+2 (msgs/µs)",
        "mpmc_tbq_tracked",
        "mpmc_abq_raw",
        true,
        0,
        "");
    for (String[] a :
        new String[][] {
          {"lock_tracked", "lock_raw"}, {"semaphore_tracked", "semaphore_raw"},
          {"spsc_mpsc_tracked", "spsc_abq_raw"}, {"lock_disabled", "lock_raw"}
        }) {
      rows.add(
          new Row(
              "allocation per op, " + a[0] + " (B/op)",
              fmt(alloc(r, a[0])),
              fmt(alloc(r, a[1])),
              "",
              "",
              ""));
    }
    // Before the memory measurement, whose 100,000 dropped locks keep the Cleaner busy.
    List<Long> latencies = detectionLatencies(quick ? 5 : 21);
    long median = latencies.get(latencies.size() / 2);
    rows.add(
        new Row(
            "detection latency, lock-order deadlock, defaults (ms, median of "
                + latencies.size()
                + ")",
            Long.toString(median),
            "",
            "",
            "≤ 100 ms",
            median <= 100 ? "met" : "MISSED"));
    double perEntity = bytesPerTrackedLock();
    rows.add(
        new Row(
            "memory per live entity (tracked lock − raw lock, B)", fmt(perEntity), "", "", "", ""));
    absolute(
        rows, r, "storing a 100,000-entity snapshot (ms)", "store_100kEntities", 1000, "≤ 1 s");
    absolute(rows, r, "findings over 1,000,000 edges (ms)", "findings_1MEdges", 1000, "≤ 1 s");
    absolute(rows, r, "report page for 10,000 entities (ms)", "report_10kEntities", 0, "a few s");
    scaling(rows, threads, quick);
    agent(rows, threads, quick);
    print(render(rows, quick));
  }

  /**
   * The agent's table (issue 17): {@link AgentBench}'s plain-JDK workload in three JVMs, without
   * moire-agent, with it and tracking disabled, and with it tracking; ratios of throughput against
   * the run without the agent.
   */
  private static void agent(List<Row> rows, List<Integer> threads, boolean quick) throws Exception {
    String jar = agentJar();
    String attach = "-javaagent:" + jar + "=packages=dev.moire.benchmarks.app";
    for (int t : threads) {
      Map<String, RunResult> r = new HashMap<>();
      String[][] modes = {{"none"}, {"disabled", attach, "-Dmoire.enabled=false"}, {"on", attach}};
      for (String[] mode : modes) {
        String[] jvmArgs = java.util.Arrays.copyOfRange(mode, 1, mode.length);
        Map<String, RunResult> one =
            run(options("dev.moire.benchmarks.AgentBench", quick, 3, 5).threads(t), jvmArgs);
        r.put("orders_" + mode[0], one.get("orders"));
      }
      String threadsText = ", " + t + (t == 1 ? " thread" : " threads");
      ratio(
          rows,
          r,
          "plain-JDK workload, agent attached, tracking disabled (batches/ms)" + threadsText,
          "orders_disabled",
          "orders_none",
          true,
          0.9,
          "within 10%");
      ratio(
          rows,
          r,
          "  agent attached, tracking (batches/ms)" + threadsText,
          "orders_on",
          "orders_none",
          true,
          1 / 3.0 - 1e-9,
          "within 3×");
    }
  }

  /**
   * The agent jar: {@code -Dmoire.agent.jar}, else the one built in {@code moire-agent/target} of
   * this checkout ({@code run.sh} runs from its top).
   */
  private static String agentJar() throws IOException {
    String given = System.getProperty("moire.agent.jar");
    if (given != null) {
      return given;
    }
    Path dir = Path.of("moire-agent", "target");
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      return files
          .map(Path::toString)
          .filter(f -> f.matches(".*/moire-agent-[^/]*\\.jar") && !f.contains("original-"))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no moire-agent jar in "
                          + dir.toAbsolutePath()
                          + ": build it (./mvnw -pl moire-agent package) or pass"
                          + " -Dmoire.agent.jar=<path>"));
    }
  }

  private static void print(String table) throws IOException {
    System.out.println(table);
    Path out = Path.of("target", "benchmarks.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table);
    System.out.println("(also written to " + out.toAbsolutePath() + ")");
  }

  /** The thread counts of the scaling table: {@code --threads 1,2,4} (default 1 and 2). */
  static List<Integer> threadCounts(String[] args) {
    List<String> a = List.of(args);
    int i = a.indexOf("--threads");
    if (i < 0) {
      return List.of(1, 2);
    }
    if (i + 1 >= a.size()) {
      throw new IllegalArgumentException("--threads needs a list of thread counts, such as 1,2,4");
    }
    List<Integer> out = new ArrayList<>();
    for (String t : a.get(i + 1).split(",")) {
      try {
        int n = Integer.parseInt(t.trim());
        if (n < 1) {
          throw new NumberFormatException();
        }
        out.add(n);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--threads: '" + t + "' is not a thread count (a whole number, 1 or more)");
      }
    }
    return out;
  }

  /**
   * The scaling table (issue 18): {@link ScalingBench} at each thread count, throughput summed over
   * the threads, each case against the raw JDK in the same run.
   */
  private static void scaling(List<Row> rows, List<Integer> threads, boolean quick)
      throws Exception {
    String[][] cases = {
      {"ownLock", "ownLock", "own lock, lock/unlock", "0.5"},
      {"ownSemaphore", "ownSemaphore", "own semaphore, acquire/release", "0.5"},
      {"ownReadLock", "ownReadLock", "own read lock, lock/unlock", "0.5"},
      {"ownLatch", "ownLatch", "own latch, count down", "0.5"},
      {
        "ownChannel",
        "ownQueue",
        "own bounded mpsc channel vs ArrayBlockingQueue, offer+poll",
        "0.333"
      },
      {"ownQueue", "ownQueue", "own TrackedArrayBlockingQueue, offer+poll", "0"},
      {"sharedPool", "sharedPool", "shared pool of 8, submit(() -> 1).get()", "0.5"},
      {"sharedLock", "sharedLock", "one shared lock, short critical section", "0.5"},
    };
    for (int t : threads) {
      Map<String, RunResult> r = runScaling(t, quick);
      for (String[] c : cases) {
        double target = Double.parseDouble(c[3]);
        ratio(
            rows,
            r,
            c[2] + " (ops/µs), " + t + (t == 1 ? " thread" : " threads"),
            c[0] + "_tracked",
            c[1] + "_raw",
            true,
            target,
            target == 0 ? "" : target < 0.4 ? "≥ ⅓" : "≥ 0.5×");
      }
      for (String a : new String[] {"ownLock", "ownSemaphore", "ownLatch", "ownReadLock"}) {
        double bytes = alloc(r, a + "_tracked");
        rows.add(
            new Row(
                "  allocation per op, " + a + "_tracked, " + t + "t (B/op)",
                fmt(bytes),
                fmt(alloc(r, a + "_raw")),
                "",
                "0",
                bytes < 0.5 ? "met" : "MISSED"));
      }
    }
  }

  private static Map<String, RunResult> runScaling(int threads, boolean quick) throws Exception {
    return run(options("dev.moire.benchmarks.ScalingBench", quick, 3, 5).threads(threads));
  }

  private static Map<String, RunResult> runJmh(boolean quick) throws Exception {
    return run(
        options(
            "dev.moire.benchmarks.(LockBench|DropInBench|ChannelBench|LargeGraphBench)",
            quick,
            2,
            3),
        "--enable-native-access=ALL-UNNAMED");
  }

  /**
   * The options of one table's JMH run: one fork, JMH's GC profiler, {@code warmups} and {@code
   * measurements} iterations of 1 s (one short one each when {@code quick}).
   */
  private static ChainedOptionsBuilder options(
      String include, boolean quick, int warmups, int measurements) {
    ChainedOptionsBuilder o =
        new OptionsBuilder()
            .include(include)
            .forks(1)
            .addProfiler(GCProfiler.class)
            .shouldFailOnError(true);
    if (quick) {
      return o.warmupIterations(1)
          .warmupTime(TimeValue.milliseconds(200))
          .measurementIterations(1)
          .measurementTime(TimeValue.milliseconds(200));
    }
    return o.warmupIterations(warmups)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(measurements)
        .measurementTime(TimeValue.seconds(1));
  }

  /** Runs JMH with {@code jvmArgs} after -Xmx4g; returns the results by benchmark method. */
  private static Map<String, RunResult> run(ChainedOptionsBuilder o, String... jvmArgs)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("-Xmx4g"));
    args.addAll(List.of(jvmArgs));
    o.jvmArgsAppend(args.toArray(String[]::new));
    Map<String, RunResult> byName = new HashMap<>();
    for (RunResult rr : new Runner(o.build()).run()) {
      String label = rr.getParams().getBenchmark();
      byName.put(label.substring(label.lastIndexOf('.') + 1), rr);
    }
    return byName;
  }

  private static double score(Map<String, RunResult> r, String name) {
    RunResult rr = r.get(name);
    return rr == null ? Double.NaN : rr.getPrimaryResult().getScore();
  }

  private static double alloc(Map<String, RunResult> r, String name) {
    RunResult rr = r.get(name);
    if (rr == null) {
      return Double.NaN;
    }
    Result<?> a = rr.getSecondaryResults().get("gc.alloc.rate.norm");
    return a == null ? Double.NaN : a.getScore();
  }

  private static void ratio(
      List<Row> rows,
      Map<String, RunResult> r,
      String what,
      String tracked,
      String raw,
      boolean higherIsBetter,
      double target,
      String targetText) {
    double t = score(r, tracked);
    double j = score(r, raw);
    double ratio = t / j;
    String verdict = "";
    if (target > 0) {
      boolean met = higherIsBetter ? ratio >= target : ratio <= target;
      verdict = met ? "met" : "MISSED";
    }
    rows.add(
        new Row(
            what, fmt(t), fmt(j), String.format(Locale.ROOT, "%.2f×", ratio), targetText, verdict));
  }

  private static void absolute(
      List<Row> rows,
      Map<String, RunResult> r,
      String what,
      String name,
      double max,
      String targetText) {
    double v = score(r, name);
    rows.add(
        new Row(what, fmt(v), "", "", targetText, max > 0 ? (v <= max ? "met" : "MISSED") : ""));
  }

  /** Extra heap per live TrackedLock, over a ReentrantLock, with 100,000 of each alive. */
  static double bytesPerTrackedLock() {
    int n = 100_000;
    MoireRuntime runtime = Runtimes.tracking();
    long before = usedAfterGc();
    Object[] raw = new Object[n];
    for (int i = 0; i < n; i++) {
      raw[i] = new ReentrantLock();
    }
    long withRaw = usedAfterGc();
    Object[] tracked = new Object[n];
    for (int i = 0; i < n; i++) {
      tracked[i] = new TrackedLock(runtime, "lock-" + i, false);
    }
    long withTracked = usedAfterGc();
    double perRaw = (withRaw - before) / (double) n;
    double perTracked = (withTracked - withRaw) / (double) n;
    if (raw.length + tracked.length != 2 * n) {
      throw new IllegalStateException("unreachable"); // keeps both arrays alive until here
    }
    return perTracked - perRaw;
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Milliseconds from the deadlock forming to the test failing, sorted. */
  static List<Long> detectionLatencies(int runs) throws IOException {
    Path dir = Files.createTempDirectory("moire-latency");
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      DeadlockFixture.FORMED.set(null);
      EngineExecutionResults results =
          EngineTestKit.engine("junit-jupiter")
              .configurationParameter("moire.store", dir.resolve("latency.db").toString())
              .configurationParameter("moire.report.dir", dir.resolve("report").toString())
              .selectors(selectClass(DeadlockFixture.class))
              .execute();
      List<Event> failed = results.testEvents().failed().list();
      Instant formed = DeadlockFixture.FORMED.get();
      if (failed.size() != 1 || formed == null) {
        throw new IllegalStateException("the deadlock fixture did not fail as expected");
      }
      out.add(Duration.between(formed, failed.get(0).getTimestamp()).toMillis());
    }
    out.sort(null);
    return out;
  }

  private static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
  }

  private static String render(List<Row> rows, boolean quick) {
    StringBuilder b = new StringBuilder();
    b.append(quick ? "(--quick: smoke run, not figures)\n\n" : "")
        .append("| case | moire | raw JDK | ratio | target | |\n|---|---:|---:|---:|---|---|\n");
    for (Row row : rows) {
      b.append("| ")
          .append(row.what())
          .append(" | ")
          .append(row.moire())
          .append(" | ")
          .append(row.raw())
          .append(" | ")
          .append(row.ratio())
          .append(" | ")
          .append(row.target())
          .append(" | ")
          .append(row.verdict())
          .append(" |\n");
    }
    return b.toString();
  }
}
