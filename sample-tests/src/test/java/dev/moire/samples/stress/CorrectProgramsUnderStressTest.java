package dev.moire.samples.stress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.moire.junit.MoireTracked;
import dev.moire.runtime.channel.Channels;
import dev.moire.runtime.channel.MpscChannel;
import dev.moire.runtime.channel.OneshotChannel;
import dev.moire.runtime.sync.TrackedCountDownLatch;
import dev.moire.runtime.sync.TrackedLock;
import dev.moire.runtime.sync.TrackedSemaphore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Correct programs under stress: eighteen small, realistic stories that wait on work moire cannot
 * see (a child process, an HTTP server, a socket, a pool from {@code @BeforeAll}, the common pool)
 * or hand permits and channel ends between threads, each run 20 times with a 20 ms grace, 8 tests
 * at a time, while other processes burn every core. The verdict rule must fail none of them.
 *
 * <p>The load comes from other processes (two per core, orphaned so that no JDK process reaper of
 * this JVM waits for them): threads of this JVM burning CPU would keep every test's world open and
 * prove nothing. Runs in a fork of its own (see the module's pom), with common-pool parallelism 4.
 */
@Timeout(600)
final class CorrectProgramsUnderStressTest {
  static final int REPETITIONS = 20;

  @TempDir Path dir;

  @Test
  void eighteenCorrectPrograms_twentyTimesEach_underLoad_noneFails() throws Exception {
    assertThat(ForkJoinPool.getCommonPoolParallelism())
        .as("the fork sets java.util.concurrent.ForkJoinPool.common.parallelism=4")
        .isEqualTo(4);
    List<Long> burners = Burners.start(2 * Runtime.getRuntime().availableProcessors());
    EngineExecutionResults results;
    long started = System.nanoTime();
    try {
      results =
          EngineTestKit.engine("junit-jupiter")
              .configurationParameter("moire.store", dir.resolve("moire.db").toString())
              .configurationParameter("moire.report.dir", dir.resolve("report").toString())
              .configurationParameter("moire.grace", "20ms")
              .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
              .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
              .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
              .configurationParameter(
                  "junit.jupiter.execution.parallel.config.fixed.parallelism", "8")
              .configurationParameter(
                  "junit.jupiter.execution.parallel.config.fixed.max-pool-size", "8")
              .selectors(selectClass(ProgramsTestCase.class))
              .execute();
    } finally {
      Burners.stop(burners);
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    List<Event> failed = new ArrayList<>(results.containerEvents().failed().list());
    failed.addAll(results.testEvents().failed().list());
    List<String> failures = new ArrayList<>();
    for (Event e : failed) {
      failures.add(
          e.getTestDescriptor().getUniqueId()
              + ": "
              + e.getPayload(TestExecutionResult.class)
                  .flatMap(TestExecutionResult::getThrowable)
                  .map(Throwable::toString)
                  .orElse("?"));
    }
    long programs =
        results.testEvents().list().stream()
            .map(x -> x.getTestDescriptor().getUniqueId().getSegments().get(2).getValue())
            .distinct()
            .count();
    System.out.printf(
        "correct programs under stress: %d programs x %d runs, %d passed, %d failed, %d ms%n",
        programs, REPETITIONS, results.testEvents().succeeded().count(), failed.size(), ms);
    assertThat(failures).as("correct programs failed by moire").isEmpty();
    assertThat(programs).isGreaterThanOrEqualTo(15);
    assertThat(results.testEvents().succeeded().count()).isEqualTo(programs * REPETITIONS);
  }

  /**
   * Plain monitors under heavy contention and a {@code wait}/{@code notify} ping-pong of 100,000
   * rounds, under the same load and grace: threads are {@code BLOCKED} on monitors and {@code
   * WAITING} in {@code Object.wait} at nearly every observation, and none of it is a verdict.
   */
  @Test
  void monitorContentionAndAHundredThousandPingPongs_underLoad_noVerdict() throws Exception {
    List<Long> burners = Burners.start(2 * Runtime.getRuntime().availableProcessors());
    EngineExecutionResults results;
    try {
      results =
          EngineTestKit.engine("junit-jupiter")
              .configurationParameter("moire.store", dir.resolve("monitors.db").toString())
              .configurationParameter("moire.report.dir", dir.resolve("monitors").toString())
              .configurationParameter("moire.grace", "20ms")
              .selectors(selectClass(MonitorsTestCase.class))
              .execute();
    } finally {
      Burners.stop(burners);
    }
    List<String> failures = new ArrayList<>();
    for (Event e : results.testEvents().failed().list()) {
      failures.add(
          e.getTestDescriptor().getDisplayName()
              + ": "
              + e.getPayload(TestExecutionResult.class)
                  .flatMap(TestExecutionResult::getThrowable)
                  .map(Throwable::toString)
                  .orElse("?"));
    }
    assertThat(failures).as("correct monitor programs failed by moire").isEmpty();
    assertThat(results.testEvents().succeeded().count()).isEqualTo(1);
  }

  @MoireTracked
  static final class MonitorsTestCase {
    static final int ROUNDS = 100_000;

    @Test
    @Timeout(300)
    void contendsForMonitorsWhileTwoThreadsPingPong() throws Exception {
      Object left = new Object();
      Object right = new Object();
      long[] moves = new long[1];
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        threads.add(
            new Thread(
                () -> {
                  for (int i = 0; i < 20_000; i++) {
                    synchronized (left) { // always left, then right: no inversion
                      synchronized (right) {
                        moves[0]++;
                      }
                    }
                  }
                },
                "mover-" + t));
      }
      Object table = new Object();
      boolean[] pingsTurn = {true};
      for (boolean ping : new boolean[] {true, false}) {
        threads.add(
            new Thread(
                () -> {
                  for (int round = 0; round < ROUNDS; round++) {
                    synchronized (table) {
                      while (pingsTurn[0] != ping) {
                        try {
                          table.wait();
                        } catch (InterruptedException e) {
                          return;
                        }
                      }
                      pingsTurn[0] = !ping;
                      table.notifyAll();
                    }
                  }
                },
                ping ? "ping" : "pong"));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      assertThat(moves[0]).isEqualTo(80_000);
    }
  }

  /** Burner processes, started through a shell that exits at once (so no reaper waits). */
  static final class Burners {
    private Burners() {}

    static List<Long> start(int n) throws IOException, InterruptedException {
      Process sh =
          new ProcessBuilder(
                  "sh",
                  "-c",
                  "for i in $(seq "
                      + n
                      + "); do timeout 600 yes </dev/null >/dev/null 2>&1 & echo $!; done")
              .redirectErrorStream(true)
              .start();
      List<Long> pids = new ArrayList<>();
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(sh.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          pids.add(Long.parseLong(line.trim()));
        }
      }
      assertThat(sh.waitFor()).isZero();
      assertThat(pids).hasSize(n);
      return pids;
    }

    static void stop(List<Long> pids) {
      for (long pid : pids) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
      }
    }
  }

  @MoireTracked
  static final class ProgramsTestCase {
    static ExecutorService ioPool;
    static HttpServerFixture http;
    static SlowSocketServer slowServer;

    @BeforeAll
    static void startServices() throws IOException {
      ioPool = Executors.newFixedThreadPool(4, daemon("io-pool"));
      http = new HttpServerFixture(Duration.ofMillis(300));
      slowServer = new SlowSocketServer(Duration.ofMillis(200));
    }

    @AfterAll
    static void stopServices() throws IOException {
      ioPool.shutdownNow();
      http.close();
      slowServer.close();
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
      AtomicInteger n = new AtomicInteger();
      return r -> {
        Thread t = new Thread(r, name + "-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
    }

    /** A child process: the JDK's process reaper waits for it, RUNNABLE in native code. */
    @RepeatedTest(REPETITIONS)
    void waitsForAChildProcess() throws Exception {
      Process p = new ProcessBuilder("sleep", "0.3").start();
      assertThat(p.waitFor()).isZero();
    }

    /** Two requests to a local server that answers after 300 ms. */
    @RepeatedTest(REPETITIONS)
    void callsASlowHttpServerTwice() throws Exception {
      HttpClient client = HttpClient.newBuilder().executor(ioPool).build();
      for (int i = 0; i < 2; i++) {
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(http.uri()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("slow hello");
      }
    }

    /** Blocking socket I/O on the test thread: RUNNABLE in a native read. */
    @RepeatedTest(REPETITIONS)
    void readsASlowSocket() throws Exception {
      assertThat(slowServer.fetch()).isEqualTo("late line");
    }

    /** A pool from {@code @BeforeAll} doing slow I/O for the test. */
    @RepeatedTest(REPETITIONS)
    void waitsForAPoolFromBeforeAllDoingSlowIo() throws Exception {
      Future<String> line = ioPool.submit(() -> slowServer.fetch());
      assertThat(line.get()).isEqualTo("late line");
    }

    /** The common pool (parallelism 4), whose workers existed before the test. */
    @RepeatedTest(REPETITIONS)
    void joinsASlowCallOnTheCommonPool() {
      String v =
          CompletableFuture.supplyAsync(
                  () -> {
                    sleep(150);
                    return "price";
                  })
              .thenApplyAsync(s -> s + " quoted")
              .join();
      assertThat(v).isEqualTo("price quoted");
    }

    /** A limiter acquired by the caller and released by the worker that finishes the request. */
    @RepeatedTest(REPETITIONS)
    void limitsInFlightRequestsWithPermitsReleasedByWorkers() throws Exception {
      TrackedSemaphore inFlight = new TrackedSemaphore("in-flight", 2);
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        inFlight.acquire(); // waits while two requests are in flight
        done.add(
            ioPool.submit(
                () -> {
                  try {
                    sleep(40);
                  } finally {
                    inFlight.release();
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      assertThat(inFlight.availablePermits()).isEqualTo(2);
    }

    /** A channel's sending end handed to a thread that replies later. */
    @RepeatedTest(REPETITIONS)
    void handsAChannelEndToAnotherThread() throws Exception {
      OneshotChannel<String> reply = Channels.oneshot("reply");
      var tx = reply.sender();
      ioPool.submit(
          () -> {
            sleep(120);
            tx.send("pong");
          });
      assertThat(reply.receiver().recv()).contains("pong");
    }

    /** A latch counted down from a pool. */
    @RepeatedTest(REPETITIONS)
    void awaitsALatchCountedDownFromAPool() throws Exception {
      TrackedCountDownLatch warmedUp = new TrackedCountDownLatch("warmed-up", 3);
      for (int i = 0; i < 3; i++) {
        int delay = 50 * (i + 1);
        ioPool.submit(
            () -> {
              sleep(delay);
              warmedUp.countDown();
            });
      }
      warmedUp.await();
    }

    /** Class initialisation contended across parallel tests: one initialises, the others wait. */
    @RepeatedTest(REPETITIONS)
    void touchesAClassWhoseInitialisationIsSlow(RepetitionInfo info) throws Exception {
      // Groups of four repetitions share one initialisation, so parallel ones contend for it.
      Class<?> c = InitLoader.loaderFor(info.getCurrentRepetition() / 4).load();
      assertThat(c.getField("VALUE").get(null)).isEqualTo(42);
    }

    /** A consumer woken again and again while the machine is loaded. */
    @RepeatedTest(REPETITIONS)
    void consumerIsWokenUnderLoad() throws Exception {
      MpscChannel<Integer> jobs = Channels.mpsc("jobs", 4);
      Thread producer =
          new Thread(
              () -> {
                try (var tx = jobs.sender()) {
                  for (int i = 0; i < 200; i++) {
                    tx.send(i);
                    if (i % 20 == 0) {
                      sleep(5);
                    }
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "producer");
      producer.start();
      long sum = 0;
      try (var rx = jobs.receiver()) {
        for (Integer i : rx) {
          sum += i;
        }
      }
      producer.join();
      assertThat(sum).isEqualTo(199L * 200 / 2);
    }

    /** A retry loop in timed waits, until another thread has done its part. */
    @RepeatedTest(REPETITIONS)
    void retriesInTimedWaitsUntilReady() throws Exception {
      AtomicBoolean ready = new AtomicBoolean();
      ioPool.submit(
          () -> {
            sleep(200);
            ready.set(true);
          });
      Thread poller =
          new Thread(
              () -> {
                while (!ready.get()) {
                  sleep(15);
                }
              },
              "poller");
      poller.start();
      poller.join();
    }

    /** Heavy allocation (GC pauses) while the test waits on a tracked latch. */
    @RepeatedTest(REPETITIONS)
    void waitsThroughGarbageCollections() throws Exception {
      TrackedCountDownLatch allocated = new TrackedCountDownLatch("allocated", 1);
      Thread allocator =
          new Thread(
              () -> {
                long total = 0;
                for (int i = 0; i < 400; i++) {
                  byte[] chunk = new byte[1 << 20];
                  chunk[i % chunk.length] = 1;
                  total += chunk.length;
                }
                System.gc();
                if (total > 0) {
                  allocated.countDown();
                }
              },
              "allocator");
      allocator.start();
      allocated.await();
      allocator.join();
    }

    /** A three-stage pipeline of tracked channels with a slow middle stage. */
    @RepeatedTest(REPETITIONS)
    void runsAPipelineWithASlowStage() throws Exception {
      MpscChannel<Integer> raw = Channels.mpsc("raw", 2);
      MpscChannel<Integer> parsed = Channels.mpsc("parsed", 2);
      Thread source = new Thread(() -> sendAll(raw, 10), "source");
      Thread parser =
          new Thread(
              () -> {
                try (var in = raw.receiver();
                    var out = parsed.sender()) {
                  for (Integer i : in) {
                    sleep(10);
                    out.send(i * 2);
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "parser");
      source.start();
      parser.start();
      int n = 0;
      try (var rx = parsed.receiver()) {
        for (Integer ignored : rx) {
          n++;
        }
      }
      source.join();
      parser.join();
      assertThat(n).isEqualTo(10);
    }

    /** A plain JDK condition signalled late by a thread that sleeps first. */
    @RepeatedTest(REPETITIONS)
    void awaitsAConditionSignalledLate() throws Exception {
      ReentrantLock lock = new ReentrantLock();
      Condition ready = lock.newCondition();
      AtomicBoolean flag = new AtomicBoolean();
      Thread signaller =
          new Thread(
              () -> {
                sleep(100);
                lock.lock();
                try {
                  flag.set(true);
                  ready.signalAll();
                } finally {
                  lock.unlock();
                }
              },
              "signaller");
      signaller.start();
      lock.lock();
      try {
        while (!flag.get()) {
          ready.await();
        }
      } finally {
        lock.unlock();
      }
      signaller.join();
    }

    /** {@code Object.wait} notified by a thread that first does slow I/O. */
    @RepeatedTest(REPETITIONS)
    void waitsOnAMonitorNotifiedAfterSlowIo() throws Exception {
      Object monitor = new Object();
      String[] box = new String[1];
      Thread fetcher =
          new Thread(
              () -> {
                String line;
                try {
                  line = slowServer.fetch();
                } catch (IOException e) {
                  line = e.toString();
                }
                synchronized (monitor) {
                  box[0] = line;
                  monitor.notifyAll();
                }
              },
              "fetcher");
      fetcher.start();
      synchronized (monitor) {
        while (box[0] == null) {
          monitor.wait();
        }
      }
      assertThat(box[0]).isEqualTo("late line");
      fetcher.join();
    }

    /** Tracked locks contended by four threads with short critical sections. */
    @RepeatedTest(REPETITIONS)
    void contendsForTrackedLocks() throws Exception {
      TrackedLock ledger = new TrackedLock("ledger");
      long[] balance = new long[1];
      List<Thread> tellers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread teller =
            new Thread(
                () -> {
                  for (int i = 0; i < 2_000; i++) {
                    ledger.lock();
                    try {
                      balance[0]++;
                    } finally {
                      ledger.unlock();
                    }
                  }
                },
                "teller-" + t);
        tellers.add(teller);
        teller.start();
      }
      for (Thread t : tellers) {
        t.join();
      }
      assertThat(balance[0]).isEqualTo(8_000);
    }

    /** A polite worker that gives up a lock held too long, and the holder that waits for it. */
    @RepeatedTest(REPETITIONS)
    void backsOffFromALockHeldTooLong() throws Exception {
      TrackedLock left = new TrackedLock("left");
      TrackedLock right = new TrackedLock("right");
      java.util.concurrent.CountDownLatch bothHold = new java.util.concurrent.CountDownLatch(2);
      Thread polite =
          new Thread(
              () -> {
                left.lock();
                try {
                  bothHold.countDown();
                  bothHold.await();
                  if (right.tryLock(150, TimeUnit.MILLISECONDS)) {
                    right.unlock();
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } finally {
                  left.unlock();
                }
              },
              "polite");
      polite.start();
      right.lock();
      try {
        bothHold.countDown();
        bothHold.await();
        left.lock(); // waits until 'polite' backs off
        left.unlock();
      } finally {
        right.unlock();
      }
      polite.join();
    }

    /** {@code invokeAll} of slow tasks on a pool created by the test. */
    @RepeatedTest(REPETITIONS)
    void invokesAllOnAFreshPool() throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<java.util.concurrent.Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          int n = i;
          tasks.add(
              () -> {
                sleep(60);
                return n;
              });
        }
        int sum = 0;
        for (Future<Integer> f : pool.invokeAll(tasks)) {
          sum += f.get();
        }
        assertThat(sum).isEqualTo(6);
      } finally {
        pool.shutdown();
      }
    }

    private static void sendAll(MpscChannel<Integer> ch, int n) {
      try (var tx = ch.sender()) {
        for (int i = 0; i < n; i++) {
          tx.send(i);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis); // the work moire cannot see: a slow call, not a wait for a state
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A local HTTP server that answers every request after a delay. */
  static final class HttpServerFixture {
    private final com.sun.net.httpserver.HttpServer server;

    HttpServerFixture(Duration delay) throws IOException {
      server =
          com.sun.net.httpserver.HttpServer.create(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setExecutor(Executors.newFixedThreadPool(8, ProgramsTestCase.daemon("http-server")));
      server.createContext(
          "/",
          exchange -> {
            sleep(delay.toMillis());
            byte[] body = "slow hello".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      server.start();
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    void close() {
      server.stop(0);
    }
  }

  /** A socket server that writes one line after a delay, to each connection. */
  static final class SlowSocketServer {
    private final ServerSocket socket;
    private final ExecutorService handlers;

    SlowSocketServer(Duration delay) throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      handlers = Executors.newCachedThreadPool(ProgramsTestCase.daemon("slow-socket"));
      handlers.submit(
          () -> {
            while (!socket.isClosed()) {
              Socket s;
              try {
                s = socket.accept();
              } catch (IOException e) {
                return;
              }
              handlers.submit(
                  () -> {
                    try (s) {
                      sleep(delay.toMillis());
                      s.getOutputStream().write("late line\n".getBytes(StandardCharsets.UTF_8));
                    } catch (IOException e) {
                      // the client went away
                    }
                  });
            }
          });
    }

    String fetch() throws IOException {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), socket.getLocalPort())) {
        InputStream in = s.getInputStream();
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
      }
    }

    void close() throws IOException {
      socket.close();
      handlers.shutdownNow();
    }
  }

  /** A class whose static initialiser is slow; {@link InitLoader} defines it afresh. */
  public static final class SlowInit {
    public static final int VALUE = compute();

    private static int compute() {
      try {
        Thread.sleep(200); // a slow initialiser: reads a file, warms a cache...
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 42;
    }
  }

  /** Defines {@link SlowInit} anew, so that each loader initialises it once. */
  static final class InitLoader extends ClassLoader {
    private static final Map<Integer, InitLoader> LOADERS = new ConcurrentHashMap<>();

    static InitLoader loaderFor(int group) {
      return LOADERS.computeIfAbsent(group, g -> new InitLoader());
    }

    InitLoader() {
      super(SlowInit.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.equals(SlowInit.class.getName())) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          try (InputStream in =
              getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
            byte[] bytes = in.readAllBytes();
            c = defineClass(name, bytes, 0, bytes.length);
          } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
          }
        }
        return c;
      }
    }

    Class<?> load() throws ClassNotFoundException {
      return Class.forName(SlowInit.class.getName(), true, this);
    }
  }
}
